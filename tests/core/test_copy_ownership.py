"""Copy configurations shared by two of the tool's actions on one namespace (a renamed action),
and copy configurations that outlive their namespace: the core, then the custom resource."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

import moto_redshift_serverless
from custom_resource.aws import redshift_serverless_client
from custom_resource.errors import AwsError, OwnershipError
from custom_resource.reconcile import ensure_schedule, remove_schedule
from custom_resource.spec import Owner, parse_marker
from tests.core.conftest import NAMESPACE, NOW, STACK_OWNER, MakeSpec
from tests.custom_resource.conftest import DESTINATION_REGION, SCHEDULER_ROLE_ARN
from tests.support.calls import writes
from tests.support.cfn_driver import CloudFormationDriver, Stack

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

    from moto_redshift_serverless import RedshiftServerlessBackend

OLD = "snapshot-analytics"
NEW = "analytics-daily"
ORDERS = {"NamespaceName": "orders"}


def copies(client: RedshiftServerlessClient, namespace_name: str = NAMESPACE) -> list[str]:
    """Destination regions of the namespace's copy configurations, from the region's list."""
    response = client.list_snapshot_copy_configurations()
    return [
        c["destinationRegion"]
        for c in response["snapshotCopyConfigurations"]
        if c["namespaceName"] == namespace_name
    ]


def action(client: RedshiftServerlessClient, name: str) -> dict[str, Any] | None:
    try:
        return dict(client.get_scheduled_action(scheduledActionName=name)["scheduledAction"])
    except client.exceptions.ResourceNotFoundException:
        return None


def copy_region_of(client: RedshiftServerlessClient, name: str) -> str | None:
    remote = action(client, name)
    assert remote is not None, name
    marker = parse_marker(remote.get("scheduledActionDescription"))
    assert marker is not None, name
    return marker.copy_region


# --- ensure_schedule and remove_schedule ------------------------------------------------------


def test_ensure_schedule_of_a_renamed_action_keeps_the_copy_the_old_action_names(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the old action copying to eu-central-1
    old = ensure_schedule(client, make_spec(), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when the same owner ensures the schedule under a new action name
    new = ensure_schedule(client, make_spec(scheduled_action_name=NEW), now=NOW)

    # then the new action takes the copy configuration as it is
    assert (new.scheduled_action, new.snapshot_copy_configuration) == ("created", "unchanged")
    assert new.snapshot_copy_configuration_id == old.snapshot_copy_configuration_id
    assert copy_region_of(client, NEW) == "eu-central-1"
    assert copy_region_of(client, OLD) == "eu-central-1"
    assert writes() == {"CreateScheduledAction": 1}


def test_ensure_schedule_of_a_renamed_action_updates_the_shared_copy_retention(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the old action copying with the default retention
    ensure_schedule(client, make_spec(), now=NOW)

    # when the renamed schedule wants another copy retention
    new = ensure_schedule(
        client, make_spec(scheduled_action_name=NEW, copy_retention_period="30"), now=NOW
    )

    # then the one configuration is updated in place
    assert new.snapshot_copy_configuration == "updated"
    response = client.list_snapshot_copy_configurations(namespaceName=NAMESPACE)
    [configuration] = response["snapshotCopyConfigurations"]
    assert configuration["snapshotRetentionPeriod"] == 30


def test_ensure_schedule_of_a_renamed_action_replaces_a_copy_to_another_region(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the old action copying to eu-central-1
    ensure_schedule(client, make_spec(), now=NOW)

    # when the renamed schedule copies to us-east-1, and the old action is removed
    new = ensure_schedule(
        client, make_spec(scheduled_action_name=NEW, destination_region="us-east-1"), now=NOW
    )
    removed = remove_schedule(client, NAMESPACE, OLD, owner=STACK_OWNER)

    # then the old region's configuration was replaced and the new one survives the removal
    assert new.snapshot_copy_configuration == "replaced"
    assert (removed.scheduled_action, removed.snapshot_copy_configuration) == (
        "deleted",
        "absent",
    )
    assert copies(client) == ["us-east-1"]


def test_ensure_schedule_of_a_renamed_action_converges_after_a_crash_between_writes(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a rename to us-east-1 that fails right after the old region's copy was deleted
    ensure_schedule(client, make_spec(), now=NOW)
    spec = make_spec(scheduled_action_name=NEW, destination_region="us-east-1")
    moto_redshift_serverless.faults.configure(
        internal_error_rate=1.0, operations={"CreateScheduledAction"}
    )
    impatient = redshift_serverless_client("eu-west-1", max_attempts=1)
    with pytest.raises(AwsError) as raised:
        ensure_schedule(impatient, spec, now=NOW)
    assert raised.value.code == "InternalServerException"
    assert copies(client) == []
    moto_redshift_serverless.faults.reset()

    # when the rename is ensured again and the old action is removed
    result = ensure_schedule(client, spec, now=NOW)
    removed = remove_schedule(client, NAMESPACE, OLD, owner=STACK_OWNER)

    # then it converges on the new action and its copy configuration
    assert (result.scheduled_action, result.snapshot_copy_configuration) == ("created", "created")
    assert (removed.scheduled_action, removed.snapshot_copy_configuration) == (
        "deleted",
        "absent",
    )
    assert copies(client) == ["us-east-1"]
    assert copy_region_of(client, NEW) == "us-east-1"


def test_ensure_schedule_common_path_lists_no_scheduled_actions(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a namespace with only its own action and its own copy configuration
    ensure_schedule(client, make_spec(), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when the schedule is ensured again
    result = ensure_schedule(client, make_spec(), now=NOW)

    # then it reads the action and the copies once each, and nothing else
    assert (result.scheduled_action, result.snapshot_copy_configuration) == (
        "unchanged",
        "unchanged",
    )
    assert dict(moto_redshift_serverless.call_log.counts()) == {
        "GetScheduledAction": 1,
        "ListSnapshotCopyConfigurations": 1,
    }


def test_ensure_schedule_refuses_a_copy_another_stacks_action_names(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given another stack's action copying to eu-central-1
    other = Owner.stack("other-stack", "Schedule")
    existing = ensure_schedule(client, make_spec(owner=other), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when this stack declares a schedule under another name, copying too
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(scheduled_action_name=NEW), now=NOW)

    # then it is refused, naming the owner, before any write
    assert raised.value.owner == other.value
    assert str(raised.value) == (
        "Namespace 'analytics' already copies snapshots to eu-central-1 (copy configuration "
        f"{existing.snapshot_copy_configuration_id}) for scheduled action 'snapshot-analytics', "
        "managed by stack/other-stack/Schedule; one namespace copies to one region"
    )
    assert writes() == {}


def test_ensure_schedule_never_takes_a_copy_through_an_action_without_the_marker(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a foreign action and a foreign copy configuration to the wanted region
    redshift_serverless.create_scheduled_action(
        scheduledActionName="nightly",
        namespaceName=NAMESPACE,
        roleArn=SCHEDULER_ROLE_ARN,
        schedule={"cron": "cron(0 3 * * ? *)"},
        targetAction={"createSnapshot": {"namespaceName": NAMESPACE, "snapshotNamePrefix": "m"}},
        scheduledActionDescription="copy=eu-central-1",
    )
    response = redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="eu-central-1"
    )
    foreign_id = response["snapshotCopyConfiguration"]["snapshotCopyConfigurationId"]
    moto_redshift_serverless.call_log.clear()

    # when the schedule is ensured
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then the configuration stays foreign
    assert raised.value.owner == "foreign"
    assert str(raised.value) == (
        f"Namespace 'analytics' already copies snapshots to eu-central-1 (copy configuration "
        f"{foreign_id}) and serverless-snapshot-schedule did not create it; delete it or set "
        "the destination region to none"
    )
    assert writes() == {}


def test_ensure_schedule_stack_takes_over_the_copy_a_listener_action_names(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the listener's action copying to eu-central-1
    listener = ensure_schedule(client, make_spec(owner=Owner.listener()), now=NOW)

    # when a stack declares a schedule for the namespace under another name
    stack = ensure_schedule(client, make_spec(scheduled_action_name=NEW), now=NOW)
    removed = remove_schedule(client, NAMESPACE, OLD)

    # then the stack shares the configuration, which outlives the listener's action
    assert stack.snapshot_copy_configuration_id == listener.snapshot_copy_configuration_id
    assert (removed.scheduled_action, removed.snapshot_copy_configuration) == ("deleted", "kept")
    assert copies(client) == ["eu-central-1"]


def test_remove_schedule_keeps_a_copy_another_action_names_until_the_last_goes(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the old and the renamed action, both naming the copy configuration
    ensure_schedule(client, make_spec(), now=NOW)
    ensure_schedule(client, make_spec(scheduled_action_name=NEW), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when the old action is removed, then the new one
    first = remove_schedule(client, NAMESPACE, OLD, owner=STACK_OWNER)
    kept = copies(client)
    second = remove_schedule(client, NAMESPACE, NEW, owner=STACK_OWNER)

    # then the configuration goes with the last action naming it
    assert (first.scheduled_action, first.snapshot_copy_configuration) == ("deleted", "kept")
    assert kept == ["eu-central-1"]
    assert (second.scheduled_action, second.snapshot_copy_configuration) == ("deleted", "deleted")
    assert copies(client) == []
    assert writes() == {"DeleteScheduledAction": 2, "DeleteSnapshotCopyConfiguration": 1}


def test_remove_schedule_deletes_the_copy_of_a_deleted_namespace(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a schedule whose namespace was deleted, leaving the copy configuration behind
    ensure_schedule(client, make_spec(), now=NOW)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # when the schedule is removed
    result = remove_schedule(client, NAMESPACE, OLD)

    # then the configuration was found in the region's list and deleted
    assert (result.scheduled_action, result.snapshot_copy_configuration) == ("deleted", "deleted")
    assert copies(client) == []
    assert action(client, OLD) is None


def test_remove_schedule_of_a_deleted_namespace_keeps_a_copy_another_action_names(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given two actions naming one copy configuration, and the namespace deleted
    ensure_schedule(client, make_spec(), now=NOW)
    ensure_schedule(client, make_spec(scheduled_action_name=NEW), now=NOW)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # when both are removed
    first = remove_schedule(client, NAMESPACE, NEW)
    second = remove_schedule(client, NAMESPACE, OLD)

    # then the configuration goes with the last one
    assert first.snapshot_copy_configuration == "kept"
    assert second.snapshot_copy_configuration == "deleted"
    assert copies(client) == []


def test_remove_schedule_of_a_deleted_namespace_leaves_other_namespaces_copies(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a deleted namespace and another namespace copying to the same region
    redshift_serverless.create_namespace(namespaceName="sales")
    ensure_schedule(client, make_spec(), now=NOW)
    ensure_schedule(client, make_spec(namespace_name="sales"), now=NOW)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # when the deleted namespace's schedule is removed
    result = remove_schedule(client, NAMESPACE, OLD)

    # then only its own configuration goes
    assert result.snapshot_copy_configuration == "deleted"
    assert copies(client) == []
    assert copies(client, "sales") == ["eu-central-1"]


# --- through the custom resource --------------------------------------------------------------


@pytest.fixture
def cfn(
    emulator: RedshiftServerlessBackend, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CloudFormationDriver]:
    """A local CloudFormation talking to the custom resource handler, with short waits."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ROLE_ARN", SCHEDULER_ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", DESTINATION_REGION)
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    for name in ("SCHED", "RETENTION_PERIOD", "DEST_KMS_KEY_ID", "COPY_RETENTION_PERIOD"):
        monkeypatch.delenv(name, raising=False)
    with CloudFormationDriver(timeout_seconds=30.0, max_polls=10) as driver:
        yield driver


@pytest.fixture
def stack(cfn: CloudFormationDriver, redshift_serverless: RedshiftServerlessClient) -> Stack:
    """A stack, and the namespace orders its resource schedules."""
    redshift_serverless.create_namespace(namespaceName="orders")
    return Stack(cfn, "orders-stack")


def test_update_renaming_the_action_with_a_copy_replaces_it_and_cleans_up(
    stack: Stack, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a schedule that copies snapshots
    created = stack.create("Schedule", ORDERS)
    copy_id = created.response.data["SnapshotCopyConfigurationId"]

    # when the scheduled action is renamed
    updated = stack.update("Schedule", {**ORDERS, "ScheduledActionName": "orders-daily"})

    # then the new action replaces the old one and the cleanup keeps the copy configuration
    assert updated.status == "UPDATE_COMPLETE", updated.response.reason
    assert updated.request_types == ["Update", "Delete"]
    assert [r.status for r in updated.responses] == ["SUCCESS", "SUCCESS"]
    assert updated.response.physical_resource_id == "orders-daily"
    assert updated.response.data["SnapshotCopyConfigurationId"] == copy_id
    assert action(redshift_serverless, "snapshot-orders") is None
    assert copy_region_of(redshift_serverless, "orders-daily") == DESTINATION_REGION
    assert copies(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_delete_after_renaming_the_action_removes_the_copy(
    stack: Stack, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a renamed schedule that copies snapshots
    stack.create("Schedule", ORDERS)
    stack.update("Schedule", {**ORDERS, "ScheduledActionName": "orders-daily"})

    # when the stack's resource is deleted
    deleted = stack.delete("Schedule")

    # then nothing of it is left
    assert deleted.status == "DELETE_COMPLETE", deleted.response.reason
    assert action(redshift_serverless, "orders-daily") is None
    assert copies(redshift_serverless, "orders") == []


def test_update_rollback_of_renaming_the_action_with_a_copy_converges(
    stack: Stack, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a schedule that copies snapshots
    created = stack.create("Schedule", {**ORDERS, "CopyRetentionPeriod": 14})
    copy_id = created.response.data["SnapshotCopyConfigurationId"]

    # when another resource fails after the rename (which also changed the copy retention)
    rolled_back = stack.update(
        "Schedule",
        {**ORDERS, "ScheduledActionName": "orders-daily", "CopyRetentionPeriod": 30},
        fail_after=True,
    )

    # then the rollback restores the old action and its copy configuration, and the cleanup
    # removes only the new action
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE"
    assert rolled_back.request_types == ["Update", "Update", "Delete"]
    assert [r.status for r in rolled_back.responses] == ["SUCCESS"] * 3
    assert stack.physical_id("Schedule") == "snapshot-orders"
    assert action(redshift_serverless, "orders-daily") is None
    assert copy_region_of(redshift_serverless, "snapshot-orders") == DESTINATION_REGION
    response = redshift_serverless.list_snapshot_copy_configurations(namespaceName="orders")
    [configuration] = response["snapshotCopyConfigurations"]
    assert configuration["snapshotCopyConfigurationId"] == copy_id
    assert configuration["snapshotRetentionPeriod"] == 14


def test_update_rollback_of_renaming_the_action_and_its_copy_region_converges(
    stack: Stack, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a schedule that copies snapshots to eu-central-1
    stack.create("Schedule", ORDERS)

    # when a rename that also moves the copy to us-east-1 is rolled back
    rolled_back = stack.update(
        "Schedule",
        {**ORDERS, "ScheduledActionName": "orders-daily", "DestinationRegion": "us-east-1"},
        fail_after=True,
    )

    # then the copy is back in eu-central-1 and the new action is gone
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE"
    assert [r.status for r in rolled_back.responses] == ["SUCCESS"] * 3
    assert action(redshift_serverless, "orders-daily") is None
    assert copy_region_of(redshift_serverless, "snapshot-orders") == DESTINATION_REGION
    assert copies(redshift_serverless, "orders") == [DESTINATION_REGION]


def test_ensure_schedule_whose_copy_fails_claims_no_copy_made_there_later(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a service that refuses the copy configuration the spec asks for
    spec = make_spec()
    moto_redshift_serverless.faults.configure(
        internal_error_rate=1.0, operations={"CreateSnapshotCopyConfiguration"}
    )
    with pytest.raises(AwsError, match="CreateSnapshotCopyConfiguration"):
        ensure_schedule(client, spec, now=NOW)
    moto_redshift_serverless.faults.reset()

    # when someone makes a copy configuration to that region by hand, and the schedule goes
    assert copy_region_of(client, spec.scheduled_action_name) is None
    client.create_snapshot_copy_configuration(
        namespaceName=namespace, destinationRegion=DESTINATION_REGION
    )
    removed = remove_schedule(client, namespace, spec.scheduled_action_name)

    # then the hand-made copy configuration is not the tool's and stays
    assert (removed.scheduled_action, removed.snapshot_copy_configuration) == ("deleted", "absent")
    assert copies(client) == [DESTINATION_REGION]
