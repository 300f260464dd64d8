"""ensure_schedule when another writer acts between its reads and writes, and when it fails
part-way through taking over the listener's schedule.

The other writer is replayed deterministically: it writes straight into the emulator just before
the emulator serves a chosen operation to the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

import moto_redshift_serverless
from custom_resource.aws import redshift_serverless_client
from custom_resource.errors import AwsError, OwnershipError
from custom_resource.reconcile import ensure_schedule
from custom_resource.spec import Owner, ScheduleSpec, parse_marker
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.core.conftest import NOW, STACK_OWNER, MakeSpec
from tests.support.calls import writes
from tests.support.interleave import interleave

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

ACTION = "snapshot-analytics"


def write_action(emulator: RedshiftServerlessBackend, spec: ScheduleSpec) -> None:
    """The scheduled action ensure_schedule makes for ``spec``, written by another writer."""
    emulator.create_scheduled_action(
        {
            "scheduledActionName": spec.scheduled_action_name,
            "namespaceName": spec.namespace_name,
            "roleArn": spec.role_arn,
            "schedule": spec.schedule.to_api(),
            "targetAction": {
                "createSnapshot": {
                    "namespaceName": spec.namespace_name,
                    "snapshotNamePrefix": spec.snapshot_name_prefix,
                    "retentionPeriod": spec.retention_period,
                }
            },
            "enabled": spec.enabled,
            "scheduledActionDescription": spec.description(),
        }
    )


def write_copy(emulator: RedshiftServerlessBackend, spec: ScheduleSpec) -> None:
    """The copy configuration ensure_schedule makes for ``spec``, written by another writer."""
    emulator.create_snapshot_copy_configuration(
        {
            "namespaceName": spec.namespace_name,
            "destinationRegion": spec.destination_region,
            "snapshotRetentionPeriod": spec.copy_retention_period,
        }
    )


def write_schedule(emulator: RedshiftServerlessBackend, spec: ScheduleSpec) -> Callable[[], None]:
    """Another writer making the spec's action and copy configuration, as ensure_schedule does."""

    def write() -> None:
        write_action(emulator, spec)
        write_copy(emulator, spec)

    return write


def copies(client: RedshiftServerlessClient) -> list[dict[str, Any]]:
    response = client.list_snapshot_copy_configurations(namespaceName="analytics")
    return [dict(c) for c in response["snapshotCopyConfigurations"]]


def marker_of(client: RedshiftServerlessClient) -> tuple[str, str | None]:
    response = client.get_scheduled_action(scheduledActionName=ACTION)
    marker = parse_marker(response["scheduledAction"].get("scheduledActionDescription"))
    assert marker is not None
    return marker.owner, marker.copy_region


def unnamed_copy_regions(client: RedshiftServerlessClient) -> list[str]:
    """Regions of copy configurations no scheduled action of the tool names."""
    named = set()
    listed = client.list_scheduled_actions(namespaceName="analytics")["scheduledActions"]
    for entry in listed:
        name = entry["scheduledActionName"] if isinstance(entry, dict) else entry
        response = client.get_scheduled_action(scheduledActionName=name)
        marker = parse_marker(response["scheduledAction"].get("scheduledActionDescription"))
        if marker is not None:
            named.add(marker.copy_region)
    return [c["destinationRegion"] for c in copies(client) if c["destinationRegion"] not in named]


def test_ensure_schedule_takes_over_a_listener_schedule_written_between_its_reads(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the listener covers the namespace after the stack read the action, before it lists
    listener = make_spec(owner=Owner.listener())
    interleave(
        emulator,
        monkeypatch,
        write_schedule(emulator, listener),
        before="list_snapshot_copy_configurations",
    )

    # when a stack ensures its schedule
    result = ensure_schedule(client, make_spec(), now=NOW)

    # then it takes the listener's action and copy configuration over, as without the race
    [configuration] = copies(client)
    assert result.scheduled_action == "adopted"
    assert result.snapshot_copy_configuration == "unchanged"
    assert result.snapshot_copy_configuration_id == configuration["snapshotCopyConfigurationId"]
    assert marker_of(client) == (STACK_OWNER.value, "eu-central-1")


def test_ensure_schedule_refuses_a_stack_schedule_written_between_its_reads_naming_the_stack(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a stack declares the schedule after the listener read the action, before it lists
    stack = make_spec()
    interleave(
        emulator,
        monkeypatch,
        write_schedule(emulator, stack),
        before="list_snapshot_copy_configurations",
    )

    # when the listener ensures its default schedule
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(owner=Owner.listener()), now=NOW)

    # then the stack's action is named as the owner (not a foreign copy), and nothing is written
    assert raised.value.owner == STACK_OWNER.value
    assert str(raised.value) == (
        "Scheduled action 'snapshot-analytics' is managed by "
        "stack/prod-data/AnalyticsSchedule; one namespace can have only one declared schedule"
    )
    assert writes() == {}
    assert marker_of(client) == (STACK_OWNER.value, "eu-central-1")


def test_ensure_schedule_refuses_a_foreign_copy_after_reading_the_action_once_more(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a copy configuration nobody's action names
    client.create_snapshot_copy_configuration(
        namespaceName="analytics", destinationRegion="eu-central-1"
    )
    moto_redshift_serverless.call_log.clear()

    # when
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then the action is read a second time, found unchanged, and the copy refused as foreign
    assert raised.value.owner == "foreign"
    assert "serverless-snapshot-schedule did not create it" in str(raised.value)
    assert moto_redshift_serverless.call_log.counts()["GetScheduledAction"] == 2
    assert writes() == {}


def test_ensure_schedule_stops_reading_an_action_that_keeps_changing(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a foreign copy to eu-central-1, and a listener action whose copy region flips
    # between us-east-1 and none before every read of it
    client.create_snapshot_copy_configuration(
        namespaceName="analytics", destinationRegion="eu-central-1"
    )
    ensure_schedule(client, make_spec(owner=Owner.listener(), destination_region="none"))
    flips = iter(["us-east-1", "none"] * 5)

    def flip() -> None:
        spec = make_spec(owner=Owner.listener(), destination_region=next(flips))
        emulator.scheduled_actions[ACTION].description = spec.description()

    interleave(emulator, monkeypatch, flip, before="get_scheduled_action", times=10)
    moto_redshift_serverless.call_log.clear()

    # when a stack ensures its schedule
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then it gives up after a bounded number of reads, refusing the foreign copy
    assert raised.value.owner == "foreign"
    assert moto_redshift_serverless.call_log.counts()["GetScheduledAction"] == 3
    assert writes() == {}


def test_ensure_schedule_takes_over_a_listener_copy_created_just_before_its_update(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the listener's action, whose copy configuration it creates just before the stack's
    # first write
    listener = make_spec(owner=Owner.listener())
    write_action(emulator, listener)
    interleave(
        emulator,
        monkeypatch,
        lambda: write_copy(emulator, listener),
        before="update_scheduled_action",
    )

    # when a stack declares copies to another region
    result = ensure_schedule(client, make_spec(destination_region="us-east-1"), now=NOW)

    # then the listener's copy is replaced by the stack's, and the marker follows
    assert (result.scheduled_action, result.snapshot_copy_configuration) == (
        "adopted",
        "replaced",
    )
    assert [c["destinationRegion"] for c in copies(client)] == ["us-east-1"]
    assert marker_of(client) == (STACK_OWNER.value, "us-east-1")
    assert writes() == {
        "UpdateScheduledAction": 2,
        "DeleteSnapshotCopyConfiguration": 1,
        "CreateSnapshotCopyConfiguration": 1,
    }


@pytest.mark.parametrize(
    ("failing", "marker_after_failure"),
    [
        ("UpdateScheduledAction", ("listener", "eu-central-1")),
        ("DeleteSnapshotCopyConfiguration", (STACK_OWNER.value, "eu-central-1")),
        # the marker names no copy region until a copy configuration is there
        ("CreateSnapshotCopyConfiguration", (STACK_OWNER.value, None)),
    ],
)
def test_ensure_schedule_taking_over_never_leaves_a_copy_unnamed_when_a_write_fails(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    failing: str,
    marker_after_failure: tuple[str, str | None],
) -> None:
    # given the listener's schedule copying to eu-central-1, and one write failing
    ensure_schedule(client, make_spec(owner=Owner.listener()), now=NOW)
    moto_redshift_serverless.faults.configure(internal_error_rate=1.0, operations={failing})
    impatient = redshift_serverless_client("eu-west-1", max_attempts=1)

    # when a stack taking it over to copy to us-east-1 fails there, then runs again
    with pytest.raises(AwsError) as raised:
        ensure_schedule(impatient, make_spec(destination_region="us-east-1"), now=NOW)
    after_failure = (marker_of(client), unnamed_copy_regions(client))
    moto_redshift_serverless.faults.reset()
    result = ensure_schedule(client, make_spec(destination_region="us-east-1"), now=NOW)

    # then every copy configuration stayed named by the action, and the rerun converges
    assert raised.value.code == "InternalServerException"
    assert after_failure == (marker_after_failure, [])
    assert result.snapshot_copy_configuration in ("replaced", "created")
    assert [c["destinationRegion"] for c in copies(client)] == ["us-east-1"]
    assert marker_of(client) == (STACK_OWNER.value, "us-east-1")


@pytest.mark.parametrize(("declared", "destination_region"), [("none", None), ("us-east-1",) * 2])
def test_ensure_schedule_taking_over_deletes_a_listener_copy_created_after_its_listing(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
    declared: str,
    destination_region: str | None,
) -> None:
    # given the listener's action, whose copy configuration it creates only after the stack
    # has listed the copy configurations (just before the stack's final marker update)
    listener = make_spec(owner=Owner.listener())
    write_action(emulator, listener)
    updates: list[bool] = []

    def listener_copy_on_second_update() -> None:
        updates.append(True)
        if len(updates) == 2:
            write_copy(emulator, listener)

    interleave(
        emulator,
        monkeypatch,
        listener_copy_on_second_update,
        before="update_scheduled_action",
        times=2,
    )

    # when a stack declares a copy to another region, or none
    ensure_schedule(client, make_spec(destination_region=declared), now=NOW)

    # then the listener's late copy configuration went, and nothing is left unnamed
    assert len(updates) == 2
    assert marker_of(client) == (STACK_OWNER.value, destination_region)
    expected = [destination_region] if destination_region else []
    assert [c["destinationRegion"] for c in copies(client)] == expected
    assert unnamed_copy_regions(client) == []
