"""Canaries for the private moto names the emulator's registration relies on.

moto has no plugin API. register() works by (1) placing the emulator's models module where
moto.backends.get_backend imports service modules from (``moto.<service>``, attribute
``<service>_backends``), (2) adding a URL pattern to moto.backend_index.backend_url_patterns,
which both mock_aws and moto's server consult, and (3) relying on BaseBackend deriving the urls
module from the models module's name and on BackendDict.reset() resetting every backend.
Each test below fails with a message saying what moved and what to update.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
import tomllib
from pathlib import Path

import boto3
import moto
import moto.backend_index
import moto.backends
import moto.core.botocore_stubber
import moto.moto_server.werkzeug_app
from moto import mock_aws
from moto.core.base_backend import BackendDict
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import moto_redshift_serverless
from moto_redshift_serverless import models

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
UPDATE_HINT = (
    "Update moto_redshift_serverless.register() (and this canary) to moto's new mechanism, "
    "then widen the moto pin in pyproject.toml."
)


def _pinned_moto() -> SpecifierSet:
    project = tomllib.loads(PYPROJECT.read_text())
    for requirement in project["project"]["optional-dependencies"]["dev"]:
        match = re.match(r"^moto(\[[^\]]*\])?(?P<spec>[<>=!~,.\d\s]+)$", requirement)
        if match:
            return SpecifierSet(match.group("spec").replace(" ", ""))
    raise AssertionError("pyproject.toml's dev extra no longer pins moto; pin it to one minor")


def test_register_moto_pin_is_one_minor_and_matches_installed() -> None:
    # given the moto range pinned in pyproject.toml and the installed moto
    pinned = _pinned_moto()
    installed = Version(importlib.metadata.version("moto"))

    # when the range is compared with the installed version and with the next minor
    next_minor = Version(f"{installed.major}.{installed.minor + 1}.0")

    # then the installed moto is inside the pin, and the pin stops before the next minor
    assert installed in pinned, (
        f"installed moto {installed} is outside the pin '{pinned}' in pyproject.toml: reinstall "
        f"the dev extra, or check the registration canaries against {installed} and move the pin"
    )
    assert next_minor not in pinned, (
        f"the moto pin '{pinned}' admits {next_minor}: keep it to one minor (<{next_minor}) "
        "because register() uses private moto names that may move between minors"
    )


def test_register_moto_does_not_ship_redshift_serverless() -> None:
    # given moto's own service packages and service names
    shipped = set(moto.backends.list_of_moto_modules())

    # when / then none of them is a redshift-serverless backend ours would shadow
    assert moto_redshift_serverless.SERVICE_NAME not in shipped, (
        "moto now ships its own redshift-serverless backend (moto/redshiftserverless): decide "
        "whether to keep ours (it shadows moto's) or offer our behaviour upstream and drop it"
    )
    assert "'redshift-serverless'" not in inspect.getsource(moto.backends), (
        "moto.backends now names redshift-serverless: moto serves it upstream; "
        "review register() before upgrading"
    )


def test_register_get_backend_imports_from_moto_namespace() -> None:
    # given the emulator registered
    moto_redshift_serverless.register()

    # when moto resolves the service the way mock_aws and the server do
    source = inspect.getsource(moto.backends.get_backend)
    resolved = moto.backends.get_backend("redshift-serverless")  # type: ignore[call-overload]

    # then it finds the emulator's BackendDict through the moto.<service> module name
    assert "_import_backend" in source, (
        "moto.backends.get_backend no longer calls _import_backend: find how it locates a "
        f"service's backends now. {UPDATE_HINT}"
    )
    assert 'importlib.import_module("moto." + module_name)' in inspect.getsource(
        moto.backends._import_backend
    ), f"moto.backends._import_backend no longer imports 'moto.<service>'. {UPDATE_HINT}"
    assert "redshiftserverless" not in moto.backends.ALT_SERVICE_NAMES, (
        f"moto.backends.ALT_SERVICE_NAMES now remaps redshiftserverless. {UPDATE_HINT}"
    )
    assert resolved is models.redshiftserverless_backends, (
        "moto.backends.get_backend('redshift-serverless') does not return the emulator's "
        f"backends after register(). {UPDATE_HINT}"
    )


def test_register_url_pattern_is_consulted_by_mock_and_server() -> None:
    # given the emulator registered twice (register is idempotent)
    moto_redshift_serverless.register()
    moto_redshift_serverless.register()

    # when the URL patterns moto matches endpoints against are read
    patterns = moto.backend_index.backend_url_patterns
    ours = [p for s, p in patterns if s == moto_redshift_serverless.SERVICE_NAME]
    stubber = inspect.getsource(moto.core.botocore_stubber)
    server = inspect.getsource(moto.moto_server.werkzeug_app)

    # then exactly one pattern routes the service's endpoint, and both consumers still read it
    assert isinstance(patterns, list), (
        f"moto.backend_index.backend_url_patterns is no longer a list. {UPDATE_HINT}"
    )
    assert len(ours) == 1, f"expected one registered URL pattern, found {len(ours)}"
    assert ours[0].match("https://redshift-serverless.eu-west-1.amazonaws.com/")
    assert "backend_index.backend_url_patterns" in stubber, (
        "moto.core.botocore_stubber (mock_aws) no longer routes by "
        f"backend_index.backend_url_patterns. {UPDATE_HINT}"
    )
    assert "backend_index.backend_url_patterns" in server, (
        "moto.moto_server.werkzeug_app (moto's server) no longer routes by "
        f"backend_index.backend_url_patterns. {UPDATE_HINT}"
    )


def test_register_urls_module_derives_from_models_module() -> None:
    # given a backend of the emulator
    moto_redshift_serverless.register()
    backend = models.redshiftserverless_backends[moto_redshift_serverless.DEFAULT_ACCOUNT_ID][
        "eu-west-1"
    ]

    # when moto derives the URL handlers from the backend's module name
    url_module = backend._url_module

    # then it lands on the emulator's urls module
    assert url_module is importlib.import_module("moto_redshift_serverless.urls"), (
        "moto.core.base_backend.BaseBackend._url_module no longer derives '<package>.urls' from "
        f"the backend's models module. {UPDATE_HINT}"
    )


def test_register_mock_aws_serves_and_resets_the_emulator() -> None:
    # given the emulator registered and a namespace created inside one mock_aws block
    moto_redshift_serverless.register()
    with mock_aws():
        client = boto3.client("redshift-serverless", region_name="eu-west-1")
        client.create_namespace(namespaceName="canary")
        served = [n["namespaceName"] for n in client.list_namespaces()["namespaces"]]

    # when a fresh mock_aws block lists namespaces
    with mock_aws():
        client = boto3.client("redshift-serverless", region_name="eu-west-1")
        after_reset = client.list_namespaces()["namespaces"]

    # then mock_aws served the call, and BackendDict.reset() wiped the state between blocks
    assert served == ["canary"], f"mock_aws did not serve redshift-serverless. {UPDATE_HINT}"
    assert after_reset == [], (
        "mock_aws no longer resets the emulator's state between blocks: moto's "
        f"BackendDict.reset() ({BackendDict.reset.__qualname__}) changed. {UPDATE_HINT}"
    )
