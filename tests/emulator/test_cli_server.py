"""The real aws CLI drives the standalone emulator server over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.emulator_server import emulator_server

AWS = Path(sys.executable).with_name("aws")
ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"


def _cli_environment() -> dict[str, str]:
    inherited = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return {
        **inherited,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
    }


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[str]:
    """A `python -m moto_redshift_serverless` server on a free port; stopped afterwards."""
    with emulator_server(tmp_path / "server.log", _cli_environment()) as url:
        yield url


def _aws(endpoint: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv
        [
            str(AWS),
            "--endpoint-url",
            endpoint,
            "--output",
            "json",
            "redshift-serverless",
            *arguments,
        ],
        capture_output=True,
        text=True,
        env=_cli_environment(),
        timeout=60,
        check=False,
    )


def _create_scheduled_action(endpoint: str, name: str) -> subprocess.CompletedProcess[str]:
    return _aws(
        endpoint,
        "create-scheduled-action",
        "--scheduled-action-name",
        name,
        "--namespace-name",
        "cli-namespace",
        "--role-arn",
        ROLE_ARN,
        "--schedule",
        json.dumps({"cron": "(0 0,8,16 * * ? *)"}),
        "--target-action",
        json.dumps(
            {"createSnapshot": {"namespaceName": "cli-namespace", "snapshotNamePrefix": "cli"}}
        ),
    )


@pytest.mark.slow
def test_create_scheduled_action_duplicate_over_http_is_a_conflict(endpoint: str) -> None:
    # given a namespace created and listed through the CLI
    created = _aws(endpoint, "create-namespace", "--namespace-name", "cli-namespace")
    listed = _aws(endpoint, "list-namespaces")

    # when a scheduled action is created on it, twice
    first = _create_scheduled_action(endpoint, "cli-schedule")
    second = _create_scheduled_action(endpoint, "cli-schedule")

    # then the CLI parsed every answer, and the duplicate failed with ConflictException
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["namespace"]["namespaceName"] == "cli-namespace"
    assert listed.returncode == 0, listed.stderr
    names = [n["namespaceName"] for n in json.loads(listed.stdout)["namespaces"]]
    assert names == ["cli-namespace"]
    assert first.returncode == 0, first.stderr
    action = json.loads(first.stdout)["scheduledAction"]
    assert action["scheduledActionName"] == "cli-schedule"
    assert action["state"] == "ACTIVE"
    assert second.returncode == 255  # awscli v1's exit code for a service error
    assert "An error occurred (ConflictException)" in second.stderr
    assert "when calling the CreateScheduledAction operation" in second.stderr
    assert "Scheduled action cli-schedule already exists" in second.stderr
