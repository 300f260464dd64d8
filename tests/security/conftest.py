"""Fixtures of the security tests: both functions' environment, the CloudFormation driver and
the listener, against the emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from moto_redshift_serverless import RedshiftServerlessBackend
from tests.support.cfn_driver import CloudFormationDriver
from tests.support.lambda_context import FakeLambdaContext

ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
DESTINATION_REGION = "eu-central-1"

Listen = Callable[[object], dict[str, Any]]


@pytest.fixture(autouse=True)
def functions_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both functions' variables as the template sets them, with short waits for tests."""
    for name in (
        "SCHED",
        "RETENTION_PERIOD",
        "COPY_RETENTION_PERIOD",
        "DEST_KMS_KEY_ID",
        "OPT_OUT_TAG",
        "SWEEP_DRY_RUN",
        "SWEEP_REPAIR",
        "SWEEP_PRUNE",
        "LOG_LEVEL",
        "CRON_WIRE_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ROLE_ARN", ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", DESTINATION_REGION)
    monkeypatch.setenv("WAIT_ATTEMPTS", "3")
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    monkeypatch.setenv("DEADLINE_MARGIN_SECONDS", "0.5")


@pytest.fixture
def cfn(emulator: RedshiftServerlessBackend) -> Iterator[CloudFormationDriver]:
    """A local CloudFormation talking to the custom resource handler, inside mock_aws."""
    with CloudFormationDriver(timeout_seconds=30.0, max_polls=5) as driver:
        yield driver


@pytest.fixture
def listen(emulator: RedshiftServerlessBackend) -> Iterator[Listen]:
    """Hand one event to the real listener, with a fresh client of its own."""
    from event_listener.handler import cached_client, handler

    cached_client.cache_clear()

    def call(event: object) -> dict[str, Any]:
        return handler(event, FakeLambdaContext(timeout_seconds=60.0))

    yield call
    cached_client.cache_clear()
