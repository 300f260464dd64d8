"""scripts/package.py builds one reproducible zip that both handlers import from."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.templates.cfn import ROOT

SCRIPT = ROOT / "scripts" / "package.py"


@pytest.fixture(scope="module")
def package() -> ModuleType:
    spec = importlib.util.spec_from_file_location("package_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(package: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("first") / "snapshot-schedule.zip"
    package.build(output)
    return output


def test_package_twice_gives_identical_bytes(package, built, tmp_path):
    # given
    second = tmp_path / "elsewhere" / "snapshot-schedule.zip"

    # when
    size, digest = package.build(second)

    # then
    assert size == built.stat().st_size
    assert digest == hashlib.sha256(built.read_bytes()).hexdigest()
    assert second.read_bytes() == built.read_bytes()


def test_package_entries_are_sorted_with_fixed_times_and_modes(built):
    # given
    with zipfile.ZipFile(built) as archive:
        # when
        entries = archive.infolist()

    # then
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_package_holds_the_handlers_and_crhelper_but_not_boto3_or_test_code(built):
    # given
    with zipfile.ZipFile(built) as archive:
        # when
        tops = {name.split("/")[0] for name in archive.namelist()}
        names = set(archive.namelist())

    # then
    assert {"custom_resource/handler.py", "event_listener/handler.py"} <= names
    assert "crhelper/resource_helper.py" in names
    assert {"custom_resource", "event_listener", "crhelper"} <= tops
    unwanted = {"boto3", "botocore", "moto", "moto_redshift_serverless", "snapshot_schedule_cli"}
    assert tops & unwanted == set()
    assert not [top for top in tops if top.startswith("tests")]


def test_package_handlers_import_from_the_zip_alone(built):
    # given: the zip first on the path, as Lambda puts it; boto3 comes from this environment
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import custom_resource.handler as c, event_listener.handler as e, crhelper;"
        "print(c.__file__); print(e.__file__); print(crhelper.__file__)"
    )

    # when
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-I", "-c", probe, str(built)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    # then
    assert result.returncode == 0, result.stderr
    files = result.stdout.split()
    assert len(files) == 3
    assert all(file.startswith(str(built) + "/") for file in files)


def test_package_refuses_a_tree_without_both_handlers(package, tmp_path):
    # given
    (tmp_path / "custom_resource").mkdir()
    (tmp_path / "custom_resource" / "handler.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["crhelper"]\n')

    # when
    with pytest.raises(package.PackagingError) as caught:
        package.build(tmp_path / "out.zip", root=tmp_path)

    # then
    assert str(caught.value) == "handler module(s) missing: event_listener/handler.py"
    assert not (tmp_path / "out.zip").exists()
