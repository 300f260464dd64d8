"""The emulated clock: scheduled actions fire, snapshots expire and are copied across regions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_redshift_serverless import (
    DEFAULT_ACCOUNT_ID,
    RedshiftServerlessBackend,
    clock,
    get_backend,
)
from moto_redshift_serverless.models import SnapshotCopyConfiguration

from .conftest import NAMESPACE, scheduled_action_request

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

MIDNIGHT = datetime(2030, 1, 1, 0, 0, tzinfo=UTC)


def _target(retention: int | None = None) -> dict[str, Any]:
    create: dict[str, Any] = {"namespaceName": NAMESPACE, "snapshotNamePrefix": "daily"}
    if retention is not None:
        create["retentionPeriod"] = retention
    return {"createSnapshot": create}


def test_advance_fires_due_scheduled_actions_in_order(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request(schedule={"cron": "0 0,8,16 * * ? *"})
    )

    # when
    clock.advance(timedelta(days=1))

    # then
    assert [run.time.hour for run in emulator.scheduled_action_runs] == [8, 16, 0]
    assert all(run.succeeded for run in emulator.scheduled_action_runs)
    snapshots = redshift_serverless.list_snapshots(namespaceName=NAMESPACE)["snapshots"]
    assert [s["snapshotName"] for s in snapshots] == [
        "daily-2030-01-01-08-00-00",
        "daily-2030-01-01-16-00-00",
        "daily-2030-01-02-00-00-00",
    ]
    assert snapshots[0]["snapshotCreateTime"] == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    assert clock.now() == MIDNIGHT + timedelta(days=1, minutes=30)


def test_advance_without_workgroup_records_a_failed_run(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    clock.advance(timedelta(days=1))

    # then
    (run,) = emulator.scheduled_action_runs
    assert not run.succeeded
    assert run.snapshot_name is None
    assert run.error == (
        f"Failed to create snapshot: there isn't a workgroup created for the namespace {NAMESPACE}."
    )
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_advance_skips_disabled_actions_and_honours_end_time(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(**scheduled_action_request("off", enabled=False))
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request("ending", endTime=MIDNIGHT + timedelta(days=2, hours=1))
    )

    # when
    clock.advance(timedelta(days=5))

    # then
    assert [(r.scheduled_action_name, r.time.day) for r in emulator.scheduled_action_runs] == [
        ("ending", 2),
        ("ending", 3),
    ]


def test_advance_fires_nothing_before_start_time(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given: a daily action that starts on the third day
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    start = MIDNIGHT + timedelta(days=2, hours=12)
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request("starting", startTime=start)
    )

    # when
    clock.advance(timedelta(days=2))
    runs_before_start = list(emulator.scheduled_action_runs)
    clock.advance(timedelta(days=2))

    # then: the midnights of days 2 and 3 pass silently; the first run is the one after startTime
    assert runs_before_start == []
    assert [run.time for run in emulator.scheduled_action_runs] == [
        MIDNIGHT + timedelta(days=3),
        MIDNIGHT + timedelta(days=4),
    ]


def test_advance_expires_snapshots_past_retention(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request(targetAction=_target(retention=2))
    )

    # when
    clock.advance(timedelta(days=4))

    # then: four runs, only those of the last two days are kept
    assert len(emulator.scheduled_action_runs) == 4
    names = [s["snapshotName"] for s in redshift_serverless.list_snapshots()["snapshots"]]
    assert names == ["daily-2030-01-04-00-00-00", "daily-2030-01-05-00-00-00"]


def test_advance_copies_snapshots_to_destination_region(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2", snapshotRetentionPeriod=1
    )
    redshift_serverless.create_scheduled_action(**scheduled_action_request())
    destination = boto3.client("redshift-serverless", region_name="us-west-2")

    # when
    clock.advance(timedelta(days=1))
    copies_after_one_day = destination.list_snapshots()["snapshots"]
    clock.advance(timedelta(days=1))
    copies_after_two_days = destination.list_snapshots()["snapshots"]

    # then
    assert [(s["snapshotName"], s["snapshotRetentionPeriod"]) for s in copies_after_one_day] == [
        ("daily-2030-01-02-00-00-00", 1)
    ]
    assert copies_after_one_day[0]["snapshotArn"].startswith(
        "arn:aws:redshift-serverless:us-west-2:"
    )
    assert [s["snapshotName"] for s in copies_after_two_days] == ["daily-2030-01-03-00-00-00"]
    assert len(redshift_serverless.list_snapshots()["snapshots"]) == 2


def test_advance_fires_in_every_account_and_region(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(**scheduled_action_request())
    other = get_backend("111111111111", "ap-southeast-2")
    other.create_namespace({"namespaceName": NAMESPACE})
    other.create_workgroup({"workgroupName": "wg-other", "namespaceName": NAMESPACE})
    other.create_scheduled_action(scheduled_action_request("other-account"))

    # when
    clock.advance(timedelta(days=1))

    # then
    mine = get_backend(DEFAULT_ACCOUNT_ID, "eu-west-1")
    assert [r.scheduled_action_name for r in mine.scheduled_action_runs] == ["snap-one"]
    assert [r.scheduled_action_name for r in other.scheduled_action_runs] == ["other-account"]


def test_at_schedule_fires_once(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given
    clock.freeze(MIDNIGHT)
    at = MIDNIGHT + timedelta(hours=3)
    redshift_serverless.create_scheduled_action(**scheduled_action_request(schedule={"at": at}))

    # when
    clock.advance(timedelta(days=2))

    # then
    assert [(run.time, run.succeeded) for run in emulator.scheduled_action_runs] == [(at, True)]
    action = redshift_serverless.get_scheduled_action(scheduledActionName="snap-one")
    assert action["scheduledAction"].get("nextInvocations", []) == []


def test_advance_with_unreachable_copy_region_fails_the_run_and_stores_nothing(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given: a configuration stored past the API's region check
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    stale = SnapshotCopyConfiguration(emulator, NAMESPACE, "us-nowhere-1", None, 7)
    emulator.snapshot_copy_configurations[stale.configuration_id] = stale
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    clock.advance(timedelta(days=1))

    # then: the run is recorded as failed and neither the snapshot nor a copy exists
    (run,) = emulator.scheduled_action_runs
    assert (run.succeeded, run.snapshot_name) == (False, None)
    assert run.error == (
        f"Invalid value for destinationRegion: us-nowhere-1. Snapshot copy configuration "
        f"{stale.configuration_id} names a region without Redshift Serverless; delete it and "
        "create one for an available region."
    )
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_advance_after_unknown_copy_region_was_refused_makes_the_snapshot(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion="us-nowhere-1"
        )
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    clock.advance(timedelta(days=1))

    # then
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"].startswith(
        "Invalid value for destinationRegion: us-nowhere-1."
    )
    assert [run.succeeded for run in emulator.scheduled_action_runs] == [True]
    names = [s["snapshotName"] for s in redshift_serverless.list_snapshots()["snapshots"]]
    assert names == ["daily-2030-01-02-00-00-00"]


def test_advance_tags_scheduled_snapshots_but_not_their_copies(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )
    target = _target()
    target["createSnapshot"]["tags"] = [
        {"key": "made-by", "value": "schedule"},
        {"key": "team", "value": "data"},
    ]
    redshift_serverless.create_scheduled_action(**scheduled_action_request(targetAction=target))
    destination = boto3.client("redshift-serverless", region_name="us-west-2")

    # when
    clock.advance(timedelta(days=1))

    # then
    (snapshot,) = redshift_serverless.list_snapshots()["snapshots"]
    tags = redshift_serverless.list_tags_for_resource(resourceArn=snapshot["snapshotArn"])
    assert tags["tags"] == [
        {"key": "made-by", "value": "schedule"},
        {"key": "team", "value": "data"},
    ]
    (copy,) = destination.list_snapshots()["snapshots"]
    assert destination.list_tags_for_resource(resourceArn=copy["snapshotArn"])["tags"] == []


def test_advance_without_tags_makes_untagged_snapshots(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    clock.freeze(MIDNIGHT + timedelta(minutes=30))
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    clock.advance(timedelta(days=1))

    # then
    (snapshot,) = redshift_serverless.list_snapshots()["snapshots"]
    tags = redshift_serverless.list_tags_for_resource(resourceArn=snapshot["snapshotArn"])
    assert tags["tags"] == []
