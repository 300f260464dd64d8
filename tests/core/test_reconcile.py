"""ensure_schedule and remove_schedule against the emulator, through boto3."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

import moto_redshift_serverless
from custom_resource.aws import redshift_serverless_client
from custom_resource.errors import (
    AwsError,
    NamespaceNotFound,
    OutOfTime,
    OwnershipError,
    SpecError,
)
from custom_resource.reconcile import ROLE_RETRY_DELAYS, ensure_schedule, remove_schedule
from custom_resource.spec import Owner, parse_marker
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.core.conftest import NAMESPACE, NOW, ROLE, STACK_OWNER, MakeSpec
from tests.support.calls import writes

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

ACTION = "snapshot-analytics"


def action(client: RedshiftServerlessClient, name: str = ACTION) -> dict[str, Any]:
    return dict(client.get_scheduled_action(scheduledActionName=name)["scheduledAction"])


def copies(client: RedshiftServerlessClient) -> list[dict[str, Any]]:
    response = client.list_snapshot_copy_configurations(namespaceName=NAMESPACE)
    return [dict(c) for c in response["snapshotCopyConfigurations"]]


def create_foreign_action(
    client: RedshiftServerlessClient, description: str | None = "nightly", name: str = ACTION
) -> None:
    request: dict[str, Any] = {
        "scheduledActionName": name,
        "namespaceName": NAMESPACE,
        "roleArn": ROLE,
        "schedule": {"cron": "cron(0 3 * * ? *)"},
        "targetAction": {
            "createSnapshot": {"namespaceName": NAMESPACE, "snapshotNamePrefix": "manual"}
        },
    }
    if description is not None:
        request["scheduledActionDescription"] = description
    client.create_scheduled_action(**request)


def test_ensure_schedule_creates_from_nothing(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a namespace with neither schedule nor copy configuration, and a service whose
    # clock is a day behind the caller's
    spec = make_spec(retention_period="14", copy_retention_period="30")
    moto_redshift_serverless.clock.freeze(NOW)

    # when the schedule is ensured
    result = ensure_schedule(client, spec, now=NOW + timedelta(days=1))

    # then both objects exist as specified, and the next invocations are the service's
    assert result.scheduled_action == "created"
    assert result.snapshot_copy_configuration == "created"
    assert result.scheduled_action_name == ACTION
    assert [t.isoformat() for t in result.next_invocations] == [
        "2026-12-03T16:00:00+00:00",
        "2026-12-04T00:00:00+00:00",
        "2026-12-04T08:00:00+00:00",
    ]
    remote = action(client)
    assert remote["namespaceName"] == namespace
    assert remote["schedule"] == {"cron": "cron(0 0,8,16 * * ? *)"}
    assert remote["roleArn"] == ROLE
    assert remote["state"] == "ACTIVE"
    assert remote["targetAction"] == {
        "createSnapshot": {
            "namespaceName": namespace,
            "snapshotNamePrefix": namespace,
            "retentionPeriod": 14,
        }
    }
    assert parse_marker(remote["scheduledActionDescription"]) is not None
    assert remote["scheduledActionDescription"] == spec.description()
    [configuration] = copies(client)
    assert configuration["destinationRegion"] == "eu-central-1"
    assert configuration["snapshotRetentionPeriod"] == 30
    assert configuration["snapshotCopyConfigurationId"] == result.snapshot_copy_configuration_id
    assert writes() == {"CreateScheduledAction": 1, "CreateSnapshotCopyConfiguration": 1}


def test_ensure_schedule_second_run_writes_nothing(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a schedule already ensured
    spec = make_spec(destination_kms_key_id="alias/snapshots", enabled="false")
    first = ensure_schedule(client, spec, now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when it is ensured again
    second = ensure_schedule(client, spec, now=NOW)

    # then nothing is written and everything is reported unchanged
    assert second.scheduled_action == "unchanged"
    assert second.snapshot_copy_configuration == "unchanged"
    assert second.snapshot_copy_configuration_id == first.snapshot_copy_configuration_id
    assert action(client)["state"] == "DISABLED"
    assert writes() == {}


@pytest.mark.parametrize(
    ("drift", "field"),
    [
        ({"schedule": {"cron": "cron(0 5 * * ? *)"}}, "schedule"),
        ({"roleArn": "arn:aws:iam::123456789012:role/other"}, "roleArn"),
        ({"enabled": False}, "state"),
        (
            {
                "targetAction": {
                    "createSnapshot": {
                        "namespaceName": NAMESPACE,
                        "snapshotNamePrefix": "renamed",
                        "retentionPeriod": 7,
                    }
                }
            },
            "targetAction",
        ),
        (
            {
                "targetAction": {
                    "createSnapshot": {
                        "namespaceName": NAMESPACE,
                        "snapshotNamePrefix": NAMESPACE,
                        "retentionPeriod": 1,
                    }
                }
            },
            "targetAction",
        ),
        (
            {
                "scheduledActionDescription": (
                    "Managed by serverless-snapshot-schedule; owner=stack/prod-data/"
                    "AnalyticsSchedule; copy=eu-central-1"
                )
            },
            "scheduledActionDescription",
        ),
    ],
)
def test_ensure_schedule_repairs_scheduled_action_drift(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    drift: dict[str, Any],
    field: str,
) -> None:
    # given an ensured schedule whose action someone changed
    spec = make_spec(destination_region="none")
    ensure_schedule(client, spec, now=NOW)
    expected = action(client)
    client.update_scheduled_action(scheduledActionName=ACTION, **drift)
    assert action(client)[field] != expected[field]
    moto_redshift_serverless.call_log.clear()

    # when it is ensured again
    result = ensure_schedule(client, spec, now=NOW)

    # then one update restores it
    assert result.scheduled_action == "updated"
    assert result.snapshot_copy_configuration == "absent"
    assert action(client)[field] == expected[field]
    assert writes() == {"UpdateScheduledAction": 1}


@pytest.mark.parametrize(
    "echoed", ["0 0,8,16 * * ? *", "(0 0,8,16 * * ? *)", "cron(0 0,8,16 * * ? *)"]
)
def test_ensure_schedule_ignores_the_cron_wrapping_the_service_echoes(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec, echoed: str
) -> None:
    # given an ensured schedule stored in another wrapping of the same expression
    spec = make_spec()
    ensure_schedule(client, spec, now=NOW)
    client.update_scheduled_action(scheduledActionName=ACTION, schedule={"cron": echoed})
    moto_redshift_serverless.call_log.clear()

    # when it is ensured again
    result = ensure_schedule(client, spec, now=NOW)

    # then the parsed expressions are equal: no drift, no write
    assert result.scheduled_action == "unchanged"
    assert writes() == {}


def test_ensure_schedule_updates_copy_retention_in_place(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given an ensured schedule
    first = ensure_schedule(client, make_spec(), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when the copy retention changes
    result = ensure_schedule(client, make_spec(copy_retention_period="-1"), now=NOW)

    # then the same configuration is updated
    assert result.snapshot_copy_configuration == "updated"
    assert result.snapshot_copy_configuration_id == first.snapshot_copy_configuration_id
    assert [c["snapshotRetentionPeriod"] for c in copies(client)] == [-1]
    assert writes() == {"UpdateSnapshotCopyConfiguration": 1}


@pytest.mark.parametrize(
    "change",
    [{"destination_region": "us-east-1"}, {"destination_kms_key_id": "alias/other"}],
)
def test_ensure_schedule_replaces_copy_when_region_or_key_changes(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec, change: dict[str, str]
) -> None:
    # given an ensured schedule copying to eu-central-1
    first = ensure_schedule(client, make_spec(), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when the destination region or key changes
    spec = make_spec(**change)
    result = ensure_schedule(client, spec, now=NOW)

    # then the old configuration is deleted, the marker follows, a new one is created
    assert result.snapshot_copy_configuration == "replaced"
    assert result.snapshot_copy_configuration_id != first.snapshot_copy_configuration_id
    [configuration] = copies(client)
    assert configuration["destinationRegion"] == spec.destination_region
    assert configuration.get("destinationKmsKeyId") == spec.destination_kms_key_id
    marker = parse_marker(action(client)["scheduledActionDescription"])
    assert marker is not None
    assert marker.copy_region == spec.destination_region
    expected_action_writes = {"UpdateScheduledAction": 1} if "destination_region" in change else {}
    assert writes() == {
        "DeleteSnapshotCopyConfiguration": 1,
        "CreateSnapshotCopyConfiguration": 1,
        **expected_action_writes,
    }


def test_ensure_schedule_deletes_only_its_own_copy_when_copy_is_turned_off(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given an ensured schedule with a copy configuration
    ensure_schedule(client, make_spec(), now=NOW)

    # when the destination becomes none
    result = ensure_schedule(client, make_spec(destination_region="none"), now=NOW)

    # then the tool's configuration is gone and the marker says copy=none
    assert result.snapshot_copy_configuration == "deleted"
    assert result.snapshot_copy_configuration_id is None
    assert copies(client) == []
    assert action(client)["scheduledActionDescription"].endswith("; copy=none")


def test_ensure_schedule_leaves_a_foreign_copy_alone_when_no_copy_is_wanted(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a copy configuration the tool did not create
    client.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )

    # when a schedule without copy is ensured
    result = ensure_schedule(client, make_spec(destination_region="none"), now=NOW)

    # then the foreign configuration survives
    assert result.snapshot_copy_configuration == "absent"
    assert [c["destinationRegion"] for c in copies(client)] == ["us-west-2"]


def test_ensure_schedule_refuses_when_a_foreign_copy_is_in_the_way(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a copy configuration the tool did not create
    response = client.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )
    foreign_id = response["snapshotCopyConfiguration"]["snapshotCopyConfigurationId"]
    moto_redshift_serverless.call_log.clear()

    # when a schedule copying elsewhere is ensured
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then nothing is written and the error names the configuration
    assert str(raised.value) == (
        f"Namespace 'analytics' already copies snapshots to us-west-2 (copy configuration "
        f"{foreign_id}) and serverless-snapshot-schedule did not create it; delete it or set "
        "the destination region to none"
    )
    assert writes() == {}


def test_ensure_schedule_adopts_after_conflict_exception(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a listener run that creates the action between our Get and our Create
    listener_spec = make_spec(owner=Owner.listener(), destination_region="none")
    spec = make_spec()

    def race(**_: Any) -> None:
        client.meta.events.unregister("before-call.redshift-serverless.CreateScheduledAction", race)
        ensure_schedule(redshift_serverless, listener_spec, now=NOW)

    client.meta.events.register("before-call.redshift-serverless.CreateScheduledAction", race)

    # when the stack's schedule is ensured
    result = ensure_schedule(client, spec, now=NOW)

    # then the ConflictException leads to adoption and convergence
    assert result.scheduled_action == "adopted"
    assert result.snapshot_copy_configuration == "created"
    assert action(client)["scheduledActionDescription"] == spec.description()
    assert moto_redshift_serverless.call_log.counts()["CreateScheduledAction"] == 2
    assert ensure_schedule(client, spec, now=NOW).scheduled_action == "unchanged"


def test_ensure_schedule_takes_over_a_listener_action(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the listener covered the namespace, copying to eu-central-1
    listener = ensure_schedule(client, make_spec(owner=Owner.listener()), now=NOW)

    # when a stack declares a schedule for it with another retention
    result = ensure_schedule(client, make_spec(retention_period="30"), now=NOW)

    # then the stack takes the action and the copy configuration over
    assert result.scheduled_action == "adopted"
    assert result.snapshot_copy_configuration == "updated"
    assert result.snapshot_copy_configuration_id == listener.snapshot_copy_configuration_id
    marker = parse_marker(action(client)["scheduledActionDescription"])
    assert marker is not None
    assert marker.owner == STACK_OWNER.value
    assert action(client)["targetAction"]["createSnapshot"]["retentionPeriod"] == 30


@pytest.mark.parametrize(
    ("existing", "claimant", "message"),
    [
        (
            STACK_OWNER,
            Owner.stack("other-stack", "Schedule"),
            "Scheduled action 'snapshot-analytics' is managed by "
            "stack/prod-data/AnalyticsSchedule; one namespace can have only one declared schedule",
        ),
        (
            STACK_OWNER,
            Owner.listener(),
            "Scheduled action 'snapshot-analytics' is managed by "
            "stack/prod-data/AnalyticsSchedule; one namespace can have only one declared schedule",
        ),
    ],
)
def test_ensure_schedule_never_takes_another_stacks_action(
    client: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
    existing: Owner,
    claimant: Owner,
    message: str,
) -> None:
    # given an action owned by a stack
    ensure_schedule(client, make_spec(owner=existing), now=NOW)
    before = action(client)
    moto_redshift_serverless.call_log.clear()

    # when another owner ensures a schedule for the same namespace
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(owner=claimant, retention_period="1"), now=NOW)

    # then it is refused, naming the owner, and nothing changes
    assert str(raised.value) == message
    assert raised.value.owner == existing.value
    assert action(client) == before
    assert writes() == {}


def test_ensure_schedule_never_touches_a_foreign_action(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given an action of the same name without the marker
    create_foreign_action(client)
    before = action(client)

    # when the schedule is ensured
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then it is refused and the action is unchanged
    assert str(raised.value) == (
        "Scheduled action 'snapshot-analytics' already exists and was not created by "
        "serverless-snapshot-schedule (its description has no ownership marker); delete it or "
        "choose another ScheduledActionName"
    )
    assert raised.value.owner == "foreign"
    assert action(client) == before
    assert copies(client) == []


def test_ensure_schedule_refuses_an_action_serving_another_namespace(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given the action name already used by the tool for another namespace
    redshift_serverless.create_namespace(namespaceName="sales")
    ensure_schedule(
        client, make_spec(namespace_name="sales", scheduled_action_name=ACTION), now=NOW
    )

    # when this namespace's schedule claims the same name
    with pytest.raises(OwnershipError) as raised:
        ensure_schedule(client, make_spec(destination_region="none"), now=NOW)

    # then it is refused
    assert str(raised.value) == (
        "Scheduled action 'snapshot-analytics' already serves namespace 'sales'; choose another "
        "ScheduledActionName"
    )


def test_ensure_schedule_rejects_copying_to_its_own_region(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a spec whose destination is the client's region
    spec = make_spec(destination_region="eu-west-1")

    # when it is ensured
    with pytest.raises(SpecError) as raised:
        ensure_schedule(client, spec, now=NOW)

    # then nothing is called
    assert str(raised.value) == (
        "destination_region must be a region other than eu-west-1, got 'eu-west-1'"
    )
    assert writes() == {}


def test_ensure_schedule_reports_a_missing_namespace(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, make_spec: MakeSpec
) -> None:
    # given no namespace

    # when its schedule is ensured
    with pytest.raises(NamespaceNotFound) as raised:
        ensure_schedule(client, make_spec(), now=NOW)

    # then the error names it
    assert str(raised.value) == "Namespace 'analytics' does not exist"


def test_ensure_schedule_retries_a_role_the_scheduler_cannot_assume_yet(
    client: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a fresh role the scheduler refuses twice
    emulator.reject_role(ROLE, times=2)
    slept: list[float] = []

    # when the schedule is ensured
    result = ensure_schedule(client, make_spec(), now=NOW, sleep=slept.append)

    # then it was retried with backoff and succeeded
    assert result.scheduled_action == "created"
    assert slept == list(ROLE_RETRY_DELAYS[:2])
    assert moto_redshift_serverless.call_log.counts()["CreateScheduledAction"] == 3


def test_ensure_schedule_gives_up_on_a_role_that_stays_refused(
    client: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a role the scheduler keeps refusing
    emulator.reject_role(ROLE, times=100)
    slept: list[float] = []

    # when the schedule is ensured
    with pytest.raises(AwsError) as raised:
        ensure_schedule(client, make_spec(), now=NOW, sleep=slept.append)

    # then it stops after a brief, bounded backoff with an actionable message
    assert slept == list(ROLE_RETRY_DELAYS)
    assert sum(slept) < 60
    assert raised.value.code == "ValidationException"
    assert raised.value.operation == "CreateScheduledAction"
    assert str(raised.value) == (
        "CreateScheduledAction failed for scheduled action 'snapshot-analytics': "
        f"ValidationException: The Amazon Redshift scheduler cannot assume the IAM role {ROLE}. "
        "Verify that the role exists and trusts scheduler.redshift.amazonaws.com.. "
        f"Check that {ROLE} exists and trusts scheduler.redshift.amazonaws.com"
    )
    assert copies(client) == []


def test_ensure_schedule_stops_retrying_a_refused_role_at_the_deadline(
    client: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given a role the scheduler keeps refusing, and 5 s left before the deadline
    emulator.reject_role(ROLE, times=100)
    slept: list[float] = []
    deadline = time.monotonic() + 5.0

    # when the schedule is ensured
    with pytest.raises(OutOfTime) as raised:
        ensure_schedule(client, make_spec(), now=NOW, sleep=slept.append, deadline=deadline)

    # then it retried while the next sleep fitted (the recorded sleeps take no time: 2 s and
    # 4 s fit in 5 s, 8 s does not) and said so
    assert slept == list(ROLE_RETRY_DELAYS[:2])
    assert str(raised.value).startswith("Out of time: the next retry, in 8 s, would pass")
    assert moto_redshift_serverless.call_log.counts()["CreateScheduledAction"] == 3


def test_ensure_schedule_does_not_retry_other_validation_errors(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given the service insists on bare cron while the spec sends cron(...)
    moto_redshift_serverless.settings.cron_wire_format = "bare"
    slept: list[float] = []

    # when the schedule is ensured
    with pytest.raises(AwsError) as raised:
        ensure_schedule(client, make_spec(), now=NOW, sleep=slept.append)

    # then the error surfaces at once
    assert slept == []
    assert raised.value.code == "ValidationException"
    assert moto_redshift_serverless.call_log.counts()["CreateScheduledAction"] == 1


def test_ensure_schedule_absorbs_throttling(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a service that throttles bursts
    moto_redshift_serverless.faults.configure(rate_limit=4, burst=2, seed=7)

    # when the schedule is ensured twice in a row
    results = [ensure_schedule(client, make_spec(), now=NOW) for _ in range(2)]

    # then retries absorb the throttling
    assert [r.scheduled_action for r in results] == ["created", "unchanged"]
    log = moto_redshift_serverless.call_log.records
    assert any(record.error_code == "ThrottlingException" for record in log)


def test_ensure_schedule_converges_after_a_crash_between_writes(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a region change that fails right after the old copy was deleted
    ensure_schedule(client, make_spec(), now=NOW)
    moto_redshift_serverless.faults.configure(
        internal_error_rate=1.0, operations={"UpdateScheduledAction"}
    )
    impatient = redshift_serverless_client("eu-west-1", max_attempts=1)
    with pytest.raises(AwsError) as raised:
        ensure_schedule(impatient, make_spec(destination_region="us-east-1"), now=NOW)
    assert raised.value.code == "InternalServerException"
    assert copies(client) == []
    moto_redshift_serverless.faults.reset()

    # when the change is ensured again
    result = ensure_schedule(client, make_spec(destination_region="us-east-1"), now=NOW)

    # then it converges
    assert result.scheduled_action == "updated"
    assert result.snapshot_copy_configuration == "created"
    assert [c["destinationRegion"] for c in copies(client)] == ["us-east-1"]
    assert action(client)["scheduledActionDescription"].endswith("; copy=us-east-1")


def test_remove_schedule_deletes_owned_objects_and_is_idempotent(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given an ensured schedule
    ensure_schedule(client, make_spec(), now=NOW)

    # when it is removed twice
    first = remove_schedule(client, NAMESPACE, ACTION, owner=STACK_OWNER)
    second = remove_schedule(client, NAMESPACE, ACTION, owner=STACK_OWNER)

    # then both objects are gone and the second call is a no-op
    assert (first.scheduled_action, first.snapshot_copy_configuration) == ("deleted", "deleted")
    assert (second.scheduled_action, second.snapshot_copy_configuration) == ("absent", "absent")
    assert client.list_scheduled_actions(namespaceName=NAMESPACE)["scheduledActions"] == []
    assert copies(client) == []


def test_remove_schedule_never_deletes_a_foreign_action(
    client: RedshiftServerlessClient, namespace: str
) -> None:
    # given a foreign action and a foreign copy configuration
    create_foreign_action(client, description=None)
    client.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )
    moto_redshift_serverless.call_log.clear()

    # when the tool removes the schedule
    result = remove_schedule(client, NAMESPACE, ACTION)

    # then both are kept
    assert result.scheduled_action == "kept"
    assert result.owner is None
    assert action(client)["scheduledActionName"] == ACTION
    assert len(copies(client)) == 1
    assert writes() == {}


def test_remove_schedule_keeps_another_owners_action(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given an action owned by the listener
    ensure_schedule(client, make_spec(owner=Owner.listener()), now=NOW)
    moto_redshift_serverless.call_log.clear()

    # when a stack's resource is deleted
    result = remove_schedule(client, NAMESPACE, ACTION, owner=STACK_OWNER)

    # then the listener's objects are kept
    assert result.scheduled_action == "kept"
    assert result.owner == "listener"
    assert len(copies(client)) == 1
    assert writes() == {}


def test_remove_schedule_keeps_copies_to_other_regions(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    namespace: str,
    make_spec: MakeSpec,
) -> None:
    # given an owned action whose marker names no copy, and a copy the tool did not create
    ensure_schedule(client, make_spec(destination_region="none"), now=NOW)
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )

    # when the schedule is removed
    result = remove_schedule(client, NAMESPACE, ACTION)

    # then only the action goes
    assert (result.scheduled_action, result.snapshot_copy_configuration) == ("deleted", "absent")
    assert [c["destinationRegion"] for c in copies(client)] == ["us-west-2"]


def test_remove_schedule_succeeds_when_the_namespace_is_gone(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend
) -> None:
    # given nothing at all

    # when a schedule is removed
    result = remove_schedule(client, NAMESPACE, ACTION)

    # then not-found is success
    assert (result.scheduled_action, result.snapshot_copy_configuration) == ("absent", "absent")


def test_ensure_schedule_handles_a_one_off_time(
    client: RedshiftServerlessClient, namespace: str, make_spec: MakeSpec
) -> None:
    # given a one-off snapshot far in the future
    spec = make_spec(schedule="at(2030-01-31T04:00:00)", destination_region="none")

    # when it is ensured twice
    first = ensure_schedule(client, spec, now=NOW)
    moto_redshift_serverless.call_log.clear()
    second = ensure_schedule(client, spec, now=NOW)

    # then it is created once, fires once, and the echoed timestamp is not drift
    assert (first.scheduled_action, second.scheduled_action) == ("created", "unchanged")
    assert [t.isoformat() for t in first.next_invocations] == ["2030-01-31T04:00:00+00:00"]
    assert "at" in action(client)["schedule"]
    assert writes() == {}


def test_remove_schedule_accepts_an_id_that_cannot_be_an_action_name(
    client: RedshiftServerlessClient, namespace: str
) -> None:
    # given a physical id from a Create that failed before naming anything
    physical_id = "analytics_Schedule_ABCDEF123456"

    # when it is removed
    result = remove_schedule(client, NAMESPACE, physical_id)

    # then nothing is called and the removal succeeds
    assert (result.scheduled_action, result.snapshot_copy_configuration) == ("absent", "absent")
    assert moto_redshift_serverless.call_log.counts()["GetScheduledAction"] == 0
