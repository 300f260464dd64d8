"""`make deploy` stops before changing anything when a variable or the credentials are missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.templates.cfn import ROOT

SCRIPT = ROOT / "scripts" / "deploy.sh"
AWS_CLI = Path(sys.executable).parent / "aws"


def _preflight(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS": str(AWS_CLI),
        **variables,
    }
    environ = {name: value for name, value in environ.items() if value}
    return subprocess.run(  # noqa: S603
        ["bash", str(SCRIPT), "preflight"],  # noqa: S607
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variables", "missing"),
    [
        ({"DEST_REGION": "eu-central-1"}, "BUCKET is required"),
        ({"BUCKET": "artifacts"}, "DEST_REGION is required"),
    ],
)
def test_deploy_preflight_names_the_missing_variable(tmp_path, variables, missing):
    # given / when
    result = _preflight(tmp_path, **variables)

    # then
    assert result.returncode == 2
    assert result.stderr.startswith(f"deploy: {missing}")


def test_deploy_preflight_fails_without_credentials(tmp_path):
    # given: a complete set of variables but no credentials anywhere
    variables = {"BUCKET": "artifacts", "DEST_REGION": "eu-central-1"}

    # when
    result = _preflight(tmp_path, **variables)

    # then
    assert result.returncode == 2
    assert result.stderr.startswith("deploy: no usable AWS credentials")
    assert "Unable to locate credentials" in result.stderr


def test_deploy_preflight_fails_without_the_cli(tmp_path):
    # given
    variables = {"BUCKET": "artifacts", "DEST_REGION": "none", "AWS": "no-such-aws-cli"}

    # when
    result = _preflight(tmp_path, **variables)

    # then
    assert result.returncode == 2
    assert result.stderr == (
        "deploy: the AWS CLI (no-such-aws-cli) is not installed: install it or run make install\n"
    )


def test_deploy_preflight_fails_without_a_region(tmp_path):
    # given: a complete set of variables but no region anywhere
    variables = {"BUCKET": "artifacts", "DEST_REGION": "none", "AWS_DEFAULT_REGION": ""}

    # when
    result = _preflight(tmp_path, **variables)

    # then
    assert result.returncode == 2
    assert result.stderr.startswith("deploy: no region: pass REGION=")
