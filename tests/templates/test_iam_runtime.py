"""The static IAM check, confirmed at run time: the real handlers, driven through their main
paths against the emulator, call nothing their execution role in the template does not grant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

import moto_redshift_serverless
from tests.listener.samples import cloudtrail_event, load_event
from tests.support.cfn_driver import CloudFormationDriver, Stack
from tests.support.lambda_context import FakeLambdaContext
from tests.templates.cfn import MAIN_TEMPLATE, load, role_statements

if TYPE_CHECKING:
    from moto_redshift_serverless import RedshiftServerlessBackend

ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"


def _granted(role: str) -> set[str]:
    statements = role_statements(load(MAIN_TEMPLATE), role)
    return {action for statement in statements if statement.allows for action in statement.actions}


def _called() -> set[str]:
    return {f"redshift-serverless:{name}" for name in moto_redshift_serverless.call_log.counts()}


def _namespace(backend: RedshiftServerlessBackend, name: str) -> None:
    backend.create_namespace({"namespaceName": name, "tags": []})
    backend.create_workgroup({"workgroupName": f"wg-{name}", "namespaceName": name})


@pytest.fixture
def function_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the template sets, with waits short enough for tests."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ROLE_ARN", ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", "eu-central-1")
    monkeypatch.setenv("WAIT_ATTEMPTS", "3")
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    monkeypatch.setenv("DEADLINE_MARGIN_SECONDS", "0.5")
    monkeypatch.setenv("SWEEP_REPAIR", "true")
    monkeypatch.setenv("SWEEP_PRUNE", "true")
    for name in ("SCHED", "RETENTION_PERIOD", "COPY_RETENTION_PERIOD", "DEST_KMS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def listener_client() -> Iterator[None]:
    from event_listener.handler import cached_client

    cached_client.cache_clear()
    yield
    cached_client.cache_clear()


def test_listener_calls_only_what_its_role_grants(
    emulator: RedshiftServerlessBackend, function_environment: None, listener_client: None
) -> None:
    # given
    from event_listener.handler import handler

    _namespace(emulator, "alpha")
    _namespace(emulator, "beta")
    moto_redshift_serverless.call_log.clear()

    # when: a new namespace, a backfill, a deleted namespace, the daily sweep
    handler(cloudtrail_event("CreateNamespace", "alpha"), FakeLambdaContext(timeout_seconds=60))
    handler({}, FakeLambdaContext(timeout_seconds=60))
    emulator.delete_workgroup("wg-beta")
    emulator.delete_namespace({"namespaceName": "beta"})
    handler(cloudtrail_event("DeleteNamespace", "beta"), FakeLambdaContext(timeout_seconds=60))
    handler(load_event("scheduled-sweep.json"), FakeLambdaContext(timeout_seconds=60))

    # then
    called = _called()
    assert {
        "redshift-serverless:CreateScheduledAction",
        "redshift-serverless:CreateSnapshotCopyConfiguration",
        "redshift-serverless:DeleteScheduledAction",
        "redshift-serverless:ListNamespaces",
    } <= called
    assert sorted(called - _granted("ListenerRole")) == []


def test_custom_resource_calls_only_what_its_role_grants(
    emulator: RedshiftServerlessBackend, function_environment: None
) -> None:
    # given
    _namespace(emulator, "orders")
    moto_redshift_serverless.call_log.clear()

    # when: create, update in place, change the copy region, delete
    with CloudFormationDriver(timeout_seconds=30.0, max_polls=10) as driver:
        stack = Stack(driver, "orders-stack")
        created = stack.create("Schedule", {"NamespaceName": "orders"})
        updated = stack.update("Schedule", {"NamespaceName": "orders", "RetentionPeriod": 14})
        moved = stack.update(
            "Schedule",
            {"NamespaceName": "orders", "RetentionPeriod": 14, "DestinationRegion": "us-east-1"},
        )
        deleted = stack.delete("Schedule")

    # then
    statuses = [operation.status for operation in (created, updated, moved, deleted)]
    assert statuses == [
        "CREATE_COMPLETE",
        "UPDATE_COMPLETE",
        "UPDATE_COMPLETE",
        "DELETE_COMPLETE",
    ]
    called = _called()
    assert {
        "redshift-serverless:CreateScheduledAction",
        "redshift-serverless:UpdateScheduledAction",
        "redshift-serverless:DeleteSnapshotCopyConfiguration",
        "redshift-serverless:DeleteScheduledAction",
    } <= called
    assert sorted(called - _granted("CustomResourceRole")) == []
