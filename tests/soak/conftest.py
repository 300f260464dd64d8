"""Fixtures of the race tests: both functions' environment and the CloudFormation driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moto_redshift_serverless import RedshiftServerlessBackend
from tests.listener.world import DESTINATION_REGION, ROLE_ARN
from tests.support.cfn_driver import CloudFormationDriver


@pytest.fixture
def functions_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both functions' variables as the template sets them, with short waits for tests."""
    for name in ("SCHED", "RETENTION_PERIOD", "COPY_RETENTION_PERIOD", "DEST_KMS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("OPT_OUT_TAG", "LOG_LEVEL", "CRON_WIRE_FORMAT", "SWEEP_REPAIR", "SWEEP_PRUNE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ROLE_ARN", ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", DESTINATION_REGION)
    monkeypatch.setenv("WAIT_ATTEMPTS", "3")
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    monkeypatch.setenv("DEADLINE_MARGIN_SECONDS", "0.5")


@pytest.fixture
def cfn(
    emulator: RedshiftServerlessBackend, functions_environment: None
) -> Iterator[CloudFormationDriver]:
    with CloudFormationDriver(timeout_seconds=30.0, max_polls=5) as driver:
        yield driver
