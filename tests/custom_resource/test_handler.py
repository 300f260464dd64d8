"""Custom::ServerlessSnapshotSchedule driven like CloudFormation: real-shaped requests to the
handler, real responses read back from the ResponseURL, the emulator as Redshift Serverless."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

import moto_redshift_serverless
from custom_resource import handler as handler_module
from custom_resource.handler import ANSWER_RESERVE_SECONDS
from tests.custom_resource.conftest import (
    DESTINATION_REGION,
    LISTENER_MARKER,
    copy_regions,
    listener_schedule,
    scheduled_action,
)
from tests.support.cfn_driver import CloudFormationDriver, Stack

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

    from moto_redshift_serverless import RedshiftServerlessBackend

ORDERS = {"NamespaceName": "orders"}
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


# --- Create ---------------------------------------------------------------------------------


def test_create_ensures_the_schedule_and_answers_with_string_data(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")

    # when
    created = stack.create("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # then
    assert created.status == "CREATE_COMPLETE", created.response.reason
    assert created.response.physical_resource_id == "snapshot-orders"
    data = created.response.data
    assert set(data) == {
        "ScheduledActionName",
        "SnapshotCopyConfigurationId",
        "NextInvocations",
        "DestinationRegion",
    }
    assert all(isinstance(value, str) for value in data.values())
    assert data["ScheduledActionName"] == "snapshot-orders"
    assert data["DestinationRegion"] == DESTINATION_REGION
    assert data["SnapshotCopyConfigurationId"]
    invocations = data["NextInvocations"].split(",")
    assert len(invocations) == 3
    assert all(ISO_UTC.match(moment) for moment in invocations)

    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert "owner=stack/orders-stack/Schedule" in action["scheduledActionDescription"]
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 14
    assert copy_regions(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_create_without_copy_answers_empty_copy_data(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")

    # when
    created = stack.create("Schedule", {**ORDERS, "DestinationRegion": ""})

    # then
    assert created.status == "CREATE_COMPLETE", created.response.reason
    assert created.response.data["SnapshotCopyConfigurationId"] == ""
    assert created.response.data["DestinationRegion"] == ""
    assert copy_regions(redshift_serverless, "orders") == []


def test_create_coerces_values_written_as_numbers_and_booleans(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given: the driver stringifies as CloudFormation does: 30 -> "30", False -> "false"
    make_namespace("orders")

    # when
    created = stack.create(
        "Schedule", {**ORDERS, "RetentionPeriod": 30, "CopyRetentionPeriod": -1, "Enabled": False}
    )

    # then
    assert created.status == "CREATE_COMPLETE", created.response.reason
    assert created.response.request["ResourceProperties"]["Enabled"] == "false"
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["state"] == "DISABLED"
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 30


def test_create_fails_for_a_namespace_that_does_not_exist(stack: Stack) -> None:
    # given no namespace "ghost"

    # when
    created = stack.create("Schedule", {"NamespaceName": "ghost"})

    # then
    assert created.status == "ROLLBACK_COMPLETE"
    assert created.response.status == "FAILED"
    assert created.response.reason == "Namespace 'ghost' does not exist"


def test_create_fails_for_a_namespace_being_deleted(
    stack: Stack, make_namespace: Callable[[str], str], emulator: RedshiftServerlessBackend
) -> None:
    # given
    make_namespace("orders")
    emulator.set_namespace_status("orders", "DELETING")

    # when
    created = stack.create("Schedule", ORDERS)

    # then
    assert created.status == "ROLLBACK_COMPLETE"
    assert created.response.reason == "Namespace 'orders' is being deleted"
    assert emulator.scheduled_actions == {}


@pytest.mark.parametrize(
    ("properties", "expected_reason"),
    [
        ({"NamespaceName": "Orders_DB"}, "NamespaceName must be 3-64 characters"),
        ({}, "NamespaceName must be present (the property is required), got None"),
        ({**ORDERS, "Schedule": "daily"}, "Schedule must be a 6-field cron expression"),
        ({**ORDERS, "Schedule": "* 0 * * ? *"}, "Schedule must be a 6-field cron expression"),
        ({**ORDERS, "RetentionPeriod": 0}, "RetentionPeriod must be -1 or 1–3653, got '0'"),
        ({**ORDERS, "RoleArn": "scheduler"}, "RoleArn must be an IAM role ARN"),
        ({**ORDERS, "DestinationRegion": "Frankfurt"}, "DestinationRegion must be an AWS region"),
        ({**ORDERS, "DestinationRegion": "eu-west-1"}, "DestinationRegion must be a region other"),
        ({**ORDERS, "DestinationKmsKeyId": "my key"}, "DestinationKmsKeyId must be a KMS key id"),
        ({**ORDERS, "CopyRetentionPeriod": "x"}, "CopyRetentionPeriod must be -1 or 1–3653"),
        ({**ORDERS, "SnapshotNamePrefix": "Orders"}, "SnapshotNamePrefix must be 1-235 char"),
        ({**ORDERS, "ScheduledActionName": "ab"}, "ScheduledActionName must be 3-60 characters"),
        ({**ORDERS, "Enabled": "yes"}, "Enabled must be 'true' or 'false', got 'yes'"),
        (
            {**ORDERS, "Retention": "7", "Tags": "x"},
            "Property names must be those of Custom::ServerlessSnapshotSchedule, "
            "got ['Retention', 'Tags'] (known: ServiceToken, NamespaceName, Schedule,",
        ),
    ],
)
def test_create_rejects_an_invalid_property(
    stack: Stack,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
    properties: dict[str, Any],
    expected_reason: str,
) -> None:
    # given
    make_namespace("orders")

    # when
    created = stack.create("Schedule", properties)

    # then
    assert created.response.status == "FAILED"
    assert created.response.reason.startswith(expected_reason), created.response.reason
    assert len(created.response.reason) <= 256
    assert emulator.scheduled_actions == {}


def test_create_takes_over_the_listeners_schedule(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given a schedule the event listener made for the namespace
    make_namespace("orders")
    listener_schedule(redshift_serverless, "orders")

    # when
    created = stack.create("Schedule", {**ORDERS, "DestinationRegion": "none"})

    # then
    assert created.status == "CREATE_COMPLETE", created.response.reason
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert "owner=stack/orders-stack/Schedule" in action["scheduledActionDescription"]


def test_create_that_fails_gives_the_listeners_schedule_back(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given the listener's schedule, and a service that fails every copy configuration write
    make_namespace("orders")
    listener_schedule(redshift_serverless, "orders")
    moto_redshift_serverless.faults.configure(
        internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"}
    )

    # when the stack declares another schedule, with a copy, and its Create fails part-way
    created = stack.create("Schedule", {**ORDERS, "Schedule": "0 2 * * ? *"})
    moto_redshift_serverless.faults.reset()

    # then the rollback deleted nothing, and the listener has its schedule back as it was
    assert created.status == "ROLLBACK_COMPLETE"
    assert created.request_types == ["Create", "Delete"]
    assert created.response.physical_resource_id.startswith("orders-stack_Schedule_")
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["scheduledActionDescription"] == LISTENER_MARKER
    assert action["schedule"]["cron"] in ("cron(0 0,8,16 * * ? *)", "0 0,8,16 * * ? *")
    assert action["targetAction"]["createSnapshot"]["snapshotNamePrefix"] == "orders"
    assert copy_regions(redshift_serverless, "orders") == []


def test_create_that_fails_after_creating_answers_with_the_action_for_the_rollback(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given a service that fails every copy configuration write
    make_namespace("orders")
    moto_redshift_serverless.faults.configure(
        internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"}
    )

    # when
    created = stack.create("Schedule", ORDERS)
    moto_redshift_serverless.faults.reset()

    # then the failure named the action it had created, and the rollback Delete removed it
    assert created.status == "ROLLBACK_COMPLETE"
    assert created.response.physical_resource_id == "snapshot-orders"
    assert "CreateSnapshotCopyConfiguration" in created.response.reason
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None


@pytest.mark.slow
def test_create_cut_off_by_the_deadline_answers_with_the_action_it_created(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given an invocation of 7 s whose copy configuration write takes longer than that
    make_namespace("orders")
    moto_redshift_serverless.faults.configure(
        latency=7.0, operations={"CreateSnapshotCopyConfiguration"}
    )
    event = cfn.build_event("Create", "Schedule", ORDERS, stack_name="orders-stack")

    # when
    cfn.invoke(event, timeout_seconds=7.0)
    moto_redshift_serverless.faults.reset()

    # then crhelper's timeout answer names the action, so the rollback Delete can remove it
    first = cfn.responses_to(event)[0]
    assert (first.status, first.reason) == ("FAILED", "Execution timed out")
    assert first.physical_resource_id == "snapshot-orders"
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id=first.physical_resource_id,
    )
    assert deleted.status == "SUCCESS", deleted.reason
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None
    assert copy_regions(redshift_serverless, "orders") == []


def test_create_stops_retrying_a_refused_role_before_the_deadline(
    cfn: CloudFormationDriver,
    emulator: RedshiftServerlessBackend,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given a scheduler role the service keeps refusing, and an invocation of 8 s
    make_namespace("orders")
    emulator.reject_role("arn:aws:iam::123456789012:role/redshift-scheduler", times=10)

    # when
    created = cfn.send("Create", "Schedule", ORDERS, timeout_seconds=8.0)

    # then the handler itself answered, with a reason, instead of crhelper's timeout
    assert created.status == "FAILED"
    assert created.reason.startswith("Out of time: the next retry, in "), created.reason
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None


# --- Update ---------------------------------------------------------------------------------


def test_update_in_place_keeps_the_physical_id(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # when
    updated = stack.update(
        "Schedule", {**ORDERS, "RetentionPeriod": 30, "Schedule": "cron(15 3 * * ? *)"}
    )

    # then
    assert updated.status == "UPDATE_COMPLETE", updated.response.reason
    assert updated.request_types == ["Update"]
    assert updated.response.physical_resource_id == "snapshot-orders"
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 30
    assert updated.response.data["NextInvocations"].split(",")[0].endswith("T03:15:00Z")


def test_update_of_the_namespace_replaces_and_leaves_the_old_objects_to_the_cleanup(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    make_namespace("billing")
    created = cfn.send("Create", "Schedule", ORDERS, stack_name="orders-stack")

    # when
    updated = cfn.send(
        "Update",
        "Schedule",
        {"NamespaceName": "billing"},
        stack_name="orders-stack",
        physical_resource_id=created.physical_resource_id,
        old_properties=ORDERS,
    )

    # then the new id means replacement, and the old objects are still there
    assert updated.status == "SUCCESS", updated.reason
    assert updated.physical_resource_id == "snapshot-billing"
    assert scheduled_action(redshift_serverless, "snapshot-billing") is not None
    assert scheduled_action(redshift_serverless, "snapshot-orders") is not None
    assert copy_regions(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_update_replacement_then_cleanup_delete_removes_only_the_old_objects(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    make_namespace("billing")
    stack.create("Schedule", ORDERS)

    # when
    updated = stack.update("Schedule", {"NamespaceName": "billing"})

    # then
    assert updated.status == "UPDATE_COMPLETE", updated.response.reason
    assert updated.request_types == ["Update", "Delete"]
    cleanup = updated.responses[1]
    assert cleanup.status == "SUCCESS", cleanup.reason
    assert cleanup.request["PhysicalResourceId"] == "snapshot-orders"
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None
    assert copy_regions(redshift_serverless, "orders") == []
    assert scheduled_action(redshift_serverless, "snapshot-billing") is not None
    assert copy_regions(redshift_serverless, "billing") == [DESTINATION_REGION]


def test_update_of_the_action_name_replaces_the_action(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", {**ORDERS, "DestinationRegion": "none"})

    # when
    updated = stack.update(
        "Schedule", {**ORDERS, "DestinationRegion": "none", "ScheduledActionName": "orders-daily"}
    )

    # then
    assert updated.status == "UPDATE_COMPLETE", updated.response.reason
    assert updated.request_types == ["Update", "Delete"]
    assert stack.physical_id("Schedule") == "orders-daily"
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None
    assert scheduled_action(redshift_serverless, "orders-daily") is not None


def test_update_rollback_of_a_replacement_converges(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    make_namespace("billing")
    stack.create("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # when another resource fails after this one was replaced
    rolled_back = stack.update("Schedule", {"NamespaceName": "billing"}, fail_after=True)

    # then
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE"
    assert rolled_back.request_types == ["Update", "Update", "Delete"]
    assert [r.status for r in rolled_back.responses] == ["SUCCESS"] * 3
    assert stack.physical_id("Schedule") == "snapshot-orders"
    assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    assert copy_regions(redshift_serverless, "billing") == []
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 14


def test_update_rollback_in_place_restores_the_old_values(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # when
    rolled_back = stack.update("Schedule", {**ORDERS, "RetentionPeriod": 30}, fail_after=True)

    # then
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE"
    assert rolled_back.request_types == ["Update", "Update"]
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 14


def test_update_that_fails_rolls_back_to_the_old_schedule(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # when
    failed = stack.update("Schedule", {"NamespaceName": "ghost"})

    # then
    assert failed.status == "UPDATE_ROLLBACK_COMPLETE"
    assert failed.response.reason == "Namespace 'ghost' does not exist"
    assert failed.responses[1].physical_resource_id == "snapshot-orders"
    assert scheduled_action(redshift_serverless, "snapshot-orders") is not None


# --- Delete ---------------------------------------------------------------------------------


def test_delete_removes_the_schedule_and_is_idempotent(
    stack: Stack,
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", ORDERS)

    # when
    deleted = stack.delete("Schedule")
    again = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-orders",
    )

    # then
    assert deleted.status == "DELETE_COMPLETE", deleted.response.reason
    assert again.status == "SUCCESS", again.reason
    assert again.physical_resource_id == "snapshot-orders"
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None
    assert copy_regions(redshift_serverless, "orders") == []


def test_delete_succeeds_when_the_namespace_is_gone(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    stack.create("Schedule", ORDERS)
    redshift_serverless.delete_namespace(namespaceName="orders")

    # when
    deleted = stack.delete("Schedule")

    # then
    assert deleted.status == "DELETE_COMPLETE", deleted.response.reason


def test_delete_after_a_failed_create_deletes_nothing(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given another stack's schedule on the namespace, which makes our Create fail
    make_namespace("orders")
    other = Stack(cfn, "other-stack").create("Schedule", ORDERS)
    assert other.status == "CREATE_COMPLETE", other.response.reason

    # when
    ours = Stack(cfn, "orders-stack").create("Schedule", ORDERS)

    # then the rollback Delete carried crhelper's id, succeeded and removed nothing
    assert ours.status == "ROLLBACK_COMPLETE"
    assert ours.request_types == ["Create", "Delete"]
    assert "is managed by stack/other-stack/Schedule" in ours.response.reason
    failed_id = ours.response.physical_resource_id
    assert failed_id.startswith("orders-stack_Schedule_")
    assert ours.responses[1].physical_resource_id == failed_id
    assert scheduled_action(redshift_serverless, "snapshot-orders") is not None
    assert copy_regions(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_delete_never_removes_another_owners_schedule(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    Stack(cfn, "other-stack").create("Schedule", ORDERS)

    # when a resource of another stack deletes an id naming that action
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-orders",
    )

    # then
    assert deleted.status == "SUCCESS", deleted.reason
    assert scheduled_action(redshift_serverless, "snapshot-orders") is not None
    assert copy_regions(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_delete_does_not_sit_through_a_log_flush_sleep(
    stack: Stack, cfn: CloudFormationDriver, make_namespace: Callable[[str], str]
) -> None:
    # given a function with a long timeout, where crhelper would sleep 120 s by default
    make_namespace("orders")
    stack.create("Schedule", ORDERS)
    contexts: list[Any] = []
    handler = cfn.handler
    cfn.handler = lambda event, context: (contexts.append(context), handler(event, context))

    # when
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-orders",
        timeout_seconds=300.0,
    )

    # then far less than two minutes of the invocation's time went by
    assert deleted.status == "SUCCESS", deleted.reason
    assert contexts[0].get_remaining_time_in_millis() > 200_000


# --- polling, deadlines, throttling -----------------------------------------------------------


def test_create_polls_while_the_namespace_is_modifying(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
) -> None:
    # given a namespace MODIFYING for three more reads, and no time to wait in the first call
    make_namespace("orders")
    emulator.set_namespace_status("orders", "MODIFYING", reads=3)
    seen: list[tuple[list[str], list[str]]] = []
    cfn.before_poll = lambda _: seen.append((cfn.polling_rules(), cfn.function_permissions()))

    # when
    created = cfn.send("Create", "Schedule", ORDERS, timeout_seconds=ANSWER_RESERVE_SECONDS)

    # then it answered from a polling invocation, and cleaned up the rule and permission
    assert created.status == "SUCCESS", created.reason
    assert created.physical_resource_id == "snapshot-orders"
    assert set(created.data) == {
        "ScheduledActionName",
        "SnapshotCopyConfigurationId",
        "NextInvocations",
        "DestinationRegion",
    }
    assert len(seen) >= 3
    rules, permissions = seen[0]
    assert len(rules) == 1
    assert rules[0].startswith("Schedule")
    assert len(permissions) == 1
    assert cfn.polling_rules() == []
    assert cfn.function_permissions() == []


def test_update_polls_while_the_namespace_is_modifying(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    make_namespace("orders")
    cfn.send("Create", "Schedule", ORDERS)
    emulator.set_namespace_status("orders", "MODIFYING", reads=2)

    # when
    updated = cfn.send(
        "Update",
        "Schedule",
        {**ORDERS, "RetentionPeriod": 21},
        physical_resource_id="snapshot-orders",
        old_properties=ORDERS,
        timeout_seconds=ANSWER_RESERVE_SECONDS,
    )

    # then
    assert updated.status == "SUCCESS", updated.reason
    assert updated.physical_resource_id == "snapshot-orders"
    action = scheduled_action(redshift_serverless, "snapshot-orders")
    assert action is not None
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 21
    assert cfn.polling_rules() == []
    assert cfn.function_permissions() == []


def test_create_polling_gives_up_with_a_clear_failure(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a namespace that stays MODIFYING, and polling allowed no time at all
    monkeypatch.setenv("POLL_TIMEOUT_SECONDS", "0")
    make_namespace("orders")
    emulator.set_namespace_status("orders", "MODIFYING")

    # when
    created = cfn.send("Create", "Schedule", ORDERS, timeout_seconds=ANSWER_RESERVE_SECONDS)

    # then
    assert created.status == "FAILED"
    assert created.reason == ("Gave up: namespace 'orders' is still MODIFYING after 0 s of polling")
    assert cfn.polling_rules() == []
    assert cfn.function_permissions() == []
    assert emulator.scheduled_actions == {}


def test_create_refuses_to_poll_a_request_too_large_for_eventbridge(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
) -> None:
    # given a pre-signed URL with a long session token, and a namespace not yet AVAILABLE
    make_namespace("orders")
    emulator.set_namespace_status("orders", "MODIFYING")
    event = cfn.build_event("Create", "Schedule", ORDERS)
    event["ResponseURL"] += "&X-Amz-Security-Token=" + "T" * 8000

    # when
    created = cfn.send_event(event, timeout_seconds=ANSWER_RESERVE_SECONDS)

    # then
    assert created.status == "FAILED"
    assert "too large to poll" in created.reason
    assert "> 8192 characters" in created.reason
    assert cfn.polling_rules() == []


def test_create_with_little_time_left_still_answers(
    cfn: CloudFormationDriver, make_namespace: Callable[[str], str]
) -> None:
    # given an invocation with two seconds left, less than the time kept for answering
    make_namespace("orders")

    # when
    created = cfn.send("Create", "Schedule", ORDERS, timeout_seconds=2.0)

    # then exactly one response (the driver refuses more), from the polling invocation
    assert created.status == "SUCCESS", created.reason
    assert created.physical_resource_id == "snapshot-orders"
    assert cfn.polling_rules() == []


def test_delete_with_little_time_left_still_answers(
    cfn: CloudFormationDriver, make_namespace: Callable[[str], str]
) -> None:
    # given
    make_namespace("orders")
    cfn.send("Create", "Schedule", ORDERS, stack_name="orders-stack")

    # when
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-orders",
        timeout_seconds=3.0,
    )

    # then
    assert deleted.status == "SUCCESS", deleted.reason


def test_create_succeeds_through_throttling(
    stack: Stack, make_namespace: Callable[[str], str]
) -> None:
    # given a service that throttles every call past a burst of one
    make_namespace("orders")
    moto_redshift_serverless.faults.configure(rate_limit=20.0, burst=1)
    moto_redshift_serverless.call_log.clear()

    # when
    created = stack.create("Schedule", ORDERS)

    # then
    assert created.status == "CREATE_COMPLETE", created.response.reason
    codes = [record.error_code for record in moto_redshift_serverless.call_log.records]
    assert "ThrottlingException" in codes


# --- logging ---------------------------------------------------------------------------------


def test_logs_carry_keys_and_never_the_response_url(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    emulator: RedshiftServerlessBackend,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the most verbose level a user can choose, and a Create that has to poll
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    make_namespace("orders")
    emulator.set_namespace_status("orders", "MODIFYING", reads=1)
    caplog.set_level(logging.DEBUG)

    # when
    created = cfn.send("Create", "Schedule", ORDERS, timeout_seconds=ANSWER_RESERVE_SECONDS)
    deleted = cfn.send("Delete", "Schedule", ORDERS, physical_resource_id="snapshot-orders")

    # then
    assert (created.status, deleted.status) == ("SUCCESS", "SUCCESS")
    texts = [record.getMessage() for record in caplog.records]
    assert not [text for text in texts if "X-Amz-Signature" in text or "ResponseURL" in text]
    ours = [record for record in caplog.records if record.name == "custom_resource.handler"]
    assert {record.__dict__.get("request_type") for record in ours} == {"Create", "Delete"}
    assert all(record.__dict__.get("logical_resource_id") == "Schedule" for record in ours)


def test_create_that_gets_no_answer_from_aws_fails_with_a_reason_to_act_on(
    cfn: CloudFormationDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a Redshift Serverless endpoint where nothing listens, and no retries
    monkeypatch.setenv("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "http://127.0.0.1:9")
    monkeypatch.setattr(
        handler_module,
        "redshift_serverless_client",
        functools.partial(handler_module.redshift_serverless_client, max_attempts=1),
    )

    # when
    created = cfn.send("Create", "Schedule", ORDERS)

    # then
    assert created.status == "FAILED"
    assert created.reason.startswith("An AWS call got no answer ("), created.reason
    assert created.reason.endswith("retrying the stack operation usually succeeds")
