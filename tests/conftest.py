"""Fixtures shared by every test: fake credentials, so nothing can reach a real account, and
the Redshift Serverless emulator."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import boto3
import botocore.session
import pytest
from botocore.config import Config
from moto import mock_aws

import moto_redshift_serverless
from moto_redshift_serverless import DEFAULT_ACCOUNT_ID, RedshiftServerlessBackend

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

EMULATOR_REGION = "eu-west-1"


@pytest.fixture(autouse=True)
def _fake_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


@cache
def _shared_botocore_session() -> botocore.session.Session:
    # mock_aws replaces boto3's default session each time; sharing one botocore session keeps
    # its loaded service models, which makes creating a client per test cheap.
    return botocore.session.get_session()


@pytest.fixture
def emulator() -> Iterator[RedshiftServerlessBackend]:
    """The emulated Redshift Serverless of the default account in eu-west-1, inside mock_aws.

    Every moto service is mocked; clock, faults, settings and call log are reset afterwards.
    """
    moto_redshift_serverless.register()
    try:
        with mock_aws():
            yield moto_redshift_serverless.get_backend(DEFAULT_ACCOUNT_ID, EMULATOR_REGION)
    finally:
        moto_redshift_serverless.reset()


@pytest.fixture
def redshift_serverless(emulator: RedshiftServerlessBackend) -> RedshiftServerlessClient:
    """A boto3 client for the emulator in eu-west-1 (standard retries, 3 attempts in total)."""
    config = Config(retries={"mode": "standard", "total_max_attempts": 3})
    session = boto3.Session(botocore_session=_shared_botocore_session())
    return session.client("redshift-serverless", region_name=EMULATOR_REGION, config=config)
