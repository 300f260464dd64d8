"""Fixtures for the listener: its environment, a builder for the emulated world, and invoke()."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from moto_redshift_serverless import RedshiftServerlessBackend
from tests.listener.world import DESTINATION_REGION, ROLE_ARN, World
from tests.support.lambda_context import FakeLambdaContext

Invoke = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def listener_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The listener's variables, with waits and margins short enough for tests."""
    for name in ("SCHED", "RETENTION_PERIOD", "COPY_RETENTION_PERIOD", "DEST_KMS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("OPT_OUT_TAG", "SWEEP_DRY_RUN", "SWEEP_REPAIR", "SWEEP_PRUNE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROLE_ARN", ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", DESTINATION_REGION)
    monkeypatch.setenv("WAIT_ATTEMPTS", "5")
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    monkeypatch.setenv("SWEEP_CONCURRENCY", "4")
    monkeypatch.setenv("DEADLINE_MARGIN_SECONDS", "0.5")


@pytest.fixture
def invoke(emulator: RedshiftServerlessBackend) -> Invoke:
    """Call the real handler with a fake context whose deadline is `timeout` seconds away."""
    from event_listener.handler import handler

    def call(event: object, *, timeout: float = 60.0) -> dict[str, Any]:
        return handler(event, FakeLambdaContext(timeout_seconds=timeout))

    return call


@pytest.fixture
def world(emulator: RedshiftServerlessBackend) -> World:
    return World(emulator)


@pytest.fixture
def fresh_client() -> Iterator[None]:
    """A handler client of its own, so its retry state does not outlive the test."""
    from event_listener.handler import cached_client

    cached_client.cache_clear()
    yield
    cached_client.cache_clear()
