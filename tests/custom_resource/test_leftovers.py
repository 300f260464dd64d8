"""What a replacement leaves behind when an update or its rollback goes wrong: nothing this
resource wrote may outlive the stack, and nothing that existed before may be removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from moto_redshift_serverless import faults
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

ORDERS = {"NamespaceName": "orders"}
BILLING = {"NamespaceName": "billing"}
OURS = "owner=stack/orders-stack/Schedule;"
# Nothing listens on the discard port: a client pointed there cannot connect.
UNREACHABLE = "http://127.0.0.1:9"


# --- a replacement Update that fails part-way -----------------------------------------------


def test_update_replacement_failing_part_way_removes_the_action_it_created(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given the copy configuration of billing cannot be created
    make_namespace("orders")
    make_namespace("billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    faults.configure(internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"})

    # when
    updated = stack.update("Schedule", BILLING)

    # then the Update failed with its own reason and nothing of it is left on billing
    faults.reset()
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.request_types
    assert updated.request_types == ["Update", "Update"]
    assert updated.response.status == "FAILED"
    assert "CreateSnapshotCopyConfiguration" in updated.response.reason
    assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    assert copy_regions(redshift_serverless, "billing") == []
    assert scheduled_action(redshift_serverless, "snapshot-orders") is not None
    assert copy_regions(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_update_replacement_failing_part_way_keeps_an_action_that_existed_before(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given billing is covered by the listener; its copy configuration cannot be created
    make_namespace("orders")
    make_namespace("billing")
    listener_schedule(redshift_serverless, "billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    faults.configure(internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"})

    # when
    updated = stack.update("Schedule", BILLING)

    # then the action the Update took over is not deleted but given back to the listener:
    # billing keeps being snapshotted
    faults.reset()
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.request_types
    assert updated.response.status == "FAILED"
    action = scheduled_action(redshift_serverless, "snapshot-billing")
    assert action is not None
    assert action["namespaceName"] == "billing"
    assert action["scheduledActionDescription"] == LISTENER_MARKER


# --- a rollback to a namespace deleted by hand -----------------------------------------------


def test_update_rollback_to_a_deleted_namespace_succeeds_and_the_delete_removes_all(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given orders is deleted by hand, then the move to billing is rolled back
    make_namespace("orders")
    make_namespace("billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    redshift_serverless.delete_namespace(namespaceName="orders")

    # when
    rolled_back = stack.update("Schedule", BILLING, fail_after=True)
    deleted = stack.delete("Schedule")

    # then the rollback answered with orders' action and the cleanup removed billing's
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE", rolled_back.request_types
    assert rolled_back.request_types == ["Update", "Update", "Delete"]
    assert [r.status for r in rolled_back.responses] == ["SUCCESS"] * 3
    assert rolled_back.responses[1].physical_resource_id == "snapshot-orders"
    assert rolled_back.responses[1].data["ScheduledActionName"] == "snapshot-orders"
    assert deleted.status == "DELETE_COMPLETE", deleted.response.reason
    assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    assert copy_regions(redshift_serverless, "billing") == []
    assert scheduled_action(redshift_serverless, "snapshot-orders") is None


def test_update_rollback_to_a_deleted_namespace_without_its_action_succeeds(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given orders is deleted by hand and its action removed with it (as the listener does on
    # DeleteNamespace), then the move to billing is rolled back
    make_namespace("orders")
    make_namespace("billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    redshift_serverless.delete_snapshot_copy_configuration(
        snapshotCopyConfigurationId=redshift_serverless.list_snapshot_copy_configurations(
            namespaceName="orders"
        )["snapshotCopyConfigurations"][0]["snapshotCopyConfigurationId"]
    )
    redshift_serverless.delete_scheduled_action(scheduledActionName="snapshot-orders")
    redshift_serverless.delete_namespace(namespaceName="orders")

    # when
    rolled_back = stack.update("Schedule", BILLING, fail_after=True)
    deleted = stack.delete("Schedule")

    # then the stack's status said rollback: it completes and nothing of billing is left
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE", rolled_back.responses[1].reason
    assert rolled_back.request_types == ["Update", "Update", "Delete"]
    assert rolled_back.responses[1].physical_resource_id == "snapshot-orders"
    assert deleted.status == "DELETE_COMPLETE", deleted.response.reason
    assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    assert copy_regions(redshift_serverless, "billing") == []


@pytest.mark.parametrize(
    ("action_left", "outcome"),
    [(True, "UPDATE_ROLLBACK_COMPLETE"), (False, "UPDATE_ROLLBACK_FAILED")],
    ids=["recognised-by-its-action", "unrecognised-without-it"],
)
def test_update_rollback_without_a_readable_stack_status_needs_its_action(
    action_left: bool,
    outcome: str,
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given CloudFormation cannot be reached, and orders is deleted by hand, its action left
    # there or removed
    make_namespace("orders")
    make_namespace("billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", UNREACHABLE)
    redshift_serverless.delete_namespace(namespaceName="orders")
    if not action_left:
        redshift_serverless.delete_scheduled_action(scheduledActionName="snapshot-orders")

    # when
    rolled_back = stack.update("Schedule", BILLING, fail_after=True)

    # then only this resource's own action on orders identifies the rollback; without it the
    # Update fails, as an update to a missing namespace does
    assert rolled_back.status == outcome, rolled_back.responses[1].reason
    if action_left:
        assert rolled_back.responses[1].physical_resource_id == "snapshot-orders"
        assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    else:
        assert rolled_back.responses[1].reason == "Namespace 'orders' does not exist"


def test_update_to_a_deleted_namespace_with_someone_elses_action_still_fails(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given billing was deleted by hand, leaving the listener's action behind
    make_namespace("orders")
    make_namespace("billing")
    listener_schedule(redshift_serverless, "billing")
    redshift_serverless.delete_namespace(namespaceName="billing")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"

    # when
    updated = stack.update("Schedule", BILLING)

    # then it is no rollback of this resource: the Update fails and touches nothing
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.request_types
    assert updated.response.status == "FAILED"
    assert updated.response.reason == "Namespace 'billing' does not exist"
    action = scheduled_action(redshift_serverless, "snapshot-billing")
    assert action is not None
    assert "owner=listener;" in action["scheduledActionDescription"]
    assert stack.physical_id("Schedule") == "snapshot-orders"


def test_update_in_place_on_a_deleted_namespace_fails_and_its_rollback_completes(
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given this resource's own action is left on a namespace deleted by hand
    make_namespace("orders")
    assert stack.create("Schedule", ORDERS).status == "CREATE_COMPLETE"
    redshift_serverless.delete_namespace(namespaceName="orders")

    # when
    updated = stack.update("Schedule", {**ORDERS, "RetentionPeriod": 14})

    # then the update fails; its rollback, back to the same deleted namespace, completes
    assert updated.response.status == "FAILED"
    assert updated.response.reason == "Namespace 'orders' does not exist"
    assert updated.status == "UPDATE_ROLLBACK_COMPLETE", updated.responses[1].reason
    assert updated.responses[1].physical_resource_id == "snapshot-orders"


# --- Delete finds this resource's action wherever it is ----------------------------------------


def test_delete_removes_its_action_from_the_namespace_it_serves(
    cfn: CloudFormationDriver,
    stack: Stack,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given this resource's action on billing, and a Delete whose properties name orders
    make_namespace("billing")
    assert stack.create("Schedule", BILLING).status == "CREATE_COMPLETE"

    # when
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-billing",
    )

    # then
    assert deleted.status == "SUCCESS", deleted.reason
    assert scheduled_action(redshift_serverless, "snapshot-billing") is None
    assert copy_regions(redshift_serverless, "billing") == []


def test_delete_on_another_namespace_never_removes_another_owners_action(
    cfn: CloudFormationDriver,
    make_namespace: Callable[[str], str],
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given the listener's action on billing
    make_namespace("billing")
    listener_schedule(redshift_serverless, "billing")

    # when a Delete naming orders carries that action's name
    deleted = cfn.send(
        "Delete",
        "Schedule",
        ORDERS,
        stack_name="orders-stack",
        physical_resource_id="snapshot-billing",
    )

    # then
    assert deleted.status == "SUCCESS", deleted.reason
    action = scheduled_action(redshift_serverless, "snapshot-billing")
    assert action is not None
    assert OURS not in action["scheduledActionDescription"]
