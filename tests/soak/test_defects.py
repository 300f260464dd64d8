"""Defects the soak found, replayed deterministically so that they stay fixed. For the races,
the other writer acts at exactly the moment that used to break the handler (between its read of
the scheduled action and its listing of copy configurations, say)."""

from __future__ import annotations

import logging

import pytest

from custom_resource.spec import Defaults, Owner, build_spec
from moto_redshift_serverless import RedshiftServerlessBackend, faults
from tests.listener.samples import cloudtrail_event
from tests.listener.world import DESTINATION_REGION, ROLE_ARN, World
from tests.support.cfn_driver import CloudFormationDriver, Stack
from tests.support.interleave import interleave
from tests.support.lambda_context import FakeLambdaContext

STACK_OWNER = Owner.stack("orders-stack", "Schedule")


def test_stack_create_takes_over_a_listener_schedule_written_mid_request(
    cfn: CloudFormationDriver, emulator: RedshiftServerlessBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the listener covers the namespace while the stack's Create is reading
    world = World(emulator)
    world.namespace("orders")
    interleave(emulator, monkeypatch, lambda: world.tool_schedule("orders"))

    # when
    created = Stack(cfn, "orders-stack").create("Schedule", {"NamespaceName": "orders"})

    # then: the declaration wins over the default, as it does without the race
    assert created.status == "CREATE_COMPLETE", created.response.reason
    description = emulator.scheduled_actions["snapshot-orders"].description or ""
    assert f"owner={STACK_OWNER.value}" in description
    assert world.copy_regions("orders") == ["eu-central-1"]


def test_listener_create_event_counts_a_stack_schedule_written_mid_request_as_covered(
    emulator: RedshiftServerlessBackend,
    functions_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: a stack declares the namespace's schedule while the listener is reading
    from event_listener.handler import cached_client, handler

    cached_client.cache_clear()
    world = World(emulator)
    world.namespace("orders")
    interleave(emulator, monkeypatch, lambda: world.tool_schedule("orders", STACK_OWNER))

    # when
    result = handler(
        cloudtrail_event("CreateNamespace", "orders"), FakeLambdaContext(timeout_seconds=30.0)
    )

    # then: the namespace is covered by the stack, which is no failure of the listener
    cached_client.cache_clear()
    assert result["status"] == "ok", result
    assert result["outcome"] == "covered"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    description = emulator.scheduled_actions["snapshot-orders"].description or ""
    assert f"owner={STACK_OWNER.value}" in description


def test_failed_replacement_update_leaves_nothing_on_the_new_namespace(
    cfn: CloudFormationDriver, emulator: RedshiftServerlessBackend
) -> None:
    # given: a schedule on orders; the copy configuration of billing cannot be created
    world = World(emulator)
    world.namespaces(["orders", "billing"])
    stack = Stack(cfn, "orders-stack")
    assert stack.create("Schedule", {"NamespaceName": "orders"}).status == "CREATE_COMPLETE"
    faults.configure(internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"})

    # when: the resource is moved to billing, which fails, and CloudFormation rolls back
    updated = stack.update("Schedule", {"NamespaceName": "billing"})

    # then
    faults.reset()
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.request_types
    assert stack.physical_id("Schedule") == "snapshot-orders"
    assert world.scheduled_actions("billing") == {}


def test_stack_taking_over_a_listener_schedule_mid_write_leaves_one_copy_configuration(
    cfn: CloudFormationDriver, emulator: RedshiftServerlessBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the listener has created its scheduled action but not yet its copy configuration
    world = World(emulator)
    world.namespace("orders")
    listener_spec = build_spec(
        "orders",
        Defaults(role_arn=ROLE_ARN, destination_region=DESTINATION_REGION),
        Owner.listener(),
    )
    emulator.create_scheduled_action(
        {
            "scheduledActionName": "snapshot-orders",
            "namespaceName": "orders",
            "roleArn": ROLE_ARN,
            "schedule": listener_spec.schedule.to_api(),
            "targetAction": {"createSnapshot": {"namespaceName": "orders"}},
            "scheduledActionDescription": listener_spec.description(),
        }
    )

    def listener_creates_its_copy() -> None:
        emulator.create_snapshot_copy_configuration(
            {"namespaceName": "orders", "destinationRegion": DESTINATION_REGION}
        )

    interleave(emulator, monkeypatch, listener_creates_its_copy, before="update_scheduled_action")

    # when: a stack declares the namespace with copies to another region
    created = Stack(cfn, "orders-stack").create(
        "Schedule", {"NamespaceName": "orders", "DestinationRegion": "us-east-2"}
    )

    # then: snapshots are copied to the declared region only
    assert created.status == "CREATE_COMPLETE", created.response.reason
    assert world.copy_regions("orders") == ["us-east-2"]


def test_deleted_stack_leaves_no_action_after_a_failed_rollback(
    cfn: CloudFormationDriver, emulator: RedshiftServerlessBackend
) -> None:
    # given: the stack's namespace is deleted by hand, then a replacement update rolls back
    world = World(emulator)
    world.namespaces(["orders", "billing"])
    stack = Stack(cfn, "orders-stack")
    assert stack.create("Schedule", {"NamespaceName": "orders"}).status == "CREATE_COMPLETE"
    world.delete_namespace("orders")
    updated = stack.update("Schedule", {"NamespaceName": "billing"}, fail_after=True)
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.request_types
    assert stack.physical_id("Schedule") == "snapshot-orders"

    # when
    deleted = stack.delete("Schedule")

    # then
    assert deleted.status == "DELETE_COMPLETE"
    owned = [
        name
        for name, action in emulator.scheduled_actions.items()
        if f"owner={STACK_OWNER.value};" in (action.description or "")
    ]
    assert owned == []


def test_rollback_to_a_namespace_the_listener_cleaned_up_leaves_nothing_behind(
    cfn: CloudFormationDriver, emulator: RedshiftServerlessBackend, functions_environment: None
) -> None:
    # given: the stack's namespace is deleted by hand and the listener removes its schedule on
    # DeleteNamespace; then a move to another namespace rolls back (soak seed 12)
    from event_listener.handler import cached_client, handler

    cached_client.cache_clear()
    world = World(emulator)
    world.namespaces(["orders", "billing"])
    stack = Stack(cfn, "orders-stack")
    assert stack.create("Schedule", {"NamespaceName": "orders"}).status == "CREATE_COMPLETE"
    world.delete_namespace("orders")
    cleaned = handler(
        cloudtrail_event("DeleteNamespace", "orders"), FakeLambdaContext(timeout_seconds=30.0)
    )
    assert "snapshot-orders" not in emulator.scheduled_actions, cleaned

    # when
    updated = stack.update("Schedule", {"NamespaceName": "billing"}, fail_after=True)

    # then: the rollback completes and the replacement's schedule is gone with its cleanup
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.responses[1].reason
    assert stack.physical_id("Schedule") == "snapshot-orders"
    assert "snapshot-billing" not in emulator.scheduled_actions
    assert world.copy_regions("billing") == []
