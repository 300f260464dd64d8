"""Scheduled actions: Create/Get/Update/Delete/List, validation, IAM role rejection."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from moto_redshift_serverless import RedshiftServerlessBackend, clock, settings
from moto_redshift_serverless.exceptions import ValidationException

from .conftest import NAMESPACE, ROLE_ARN, scheduled_action_request

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

NOON = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def test_create_scheduled_action_computes_next_invocations(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    clock.freeze(NOON)

    # when
    action = redshift_serverless.create_scheduled_action(
        **scheduled_action_request(schedule={"cron": "0 0,8,16 * * ? *"})
    )["scheduledAction"]

    # then
    assert action["state"] == "ACTIVE"
    assert action["schedule"] == {"cron": "0 0,8,16 * * ? *"}
    assert action["nextInvocations"] == [
        datetime(2030, 1, 1, 16, 0, tzinfo=UTC),
        datetime(2030, 1, 2, 0, 0, tzinfo=UTC),
        datetime(2030, 1, 2, 8, 0, tzinfo=UTC),
    ]
    assert action["scheduledActionUuid"]


@pytest.mark.parametrize("cron", ["0 0 * * ? *", "(0 0 * * ? *)", "cron(0 0 * * ? *)"])
def test_create_scheduled_action_accepts_every_cron_form(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any], cron: str
) -> None:
    # when
    action = redshift_serverless.create_scheduled_action(
        **scheduled_action_request(schedule={"cron": cron})
    )["scheduledAction"]

    # then
    assert action["schedule"] == {"cron": cron}
    assert len(action["nextInvocations"]) == 3


def test_create_scheduled_action_insists_on_configured_cron_form(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    settings.cron_wire_format = "cron"

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(
            **scheduled_action_request(schedule={"cron": "(0 0 * * ? *)"})
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for schedule.cron: '(0 0 * * ? *)'. The expression must be written as "
        "cron(0 0 * * ? *).",
    )


def test_create_scheduled_action_invalid_cron_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(
            **scheduled_action_request(schedule={"cron": "*/30 * * * ? *"})
        )

    # then
    code, message = _error(raised)
    assert code == "ValidationException"
    assert message.startswith("Invalid value for schedule.cron: '*/30 * * * ? *'. ")
    assert "hour" in message


def test_create_scheduled_action_at_schedule_has_one_invocation(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    clock.freeze(NOON)
    at = NOON + timedelta(days=2)

    # when
    action = redshift_serverless.create_scheduled_action(
        **scheduled_action_request(schedule={"at": at})
    )["scheduledAction"]

    # then
    assert action["schedule"] == {"at": at}
    assert action["nextInvocations"] == [at]


def test_create_scheduled_action_disabled_is_inactive_without_invocations(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    action = redshift_serverless.create_scheduled_action(**scheduled_action_request(enabled=False))[
        "scheduledAction"
    ]

    # then
    assert action["state"] == "DISABLED"
    assert action.get("nextInvocations", []) == []


def test_create_scheduled_action_honours_start_and_end_time(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    clock.freeze(NOON)
    start = NOON + timedelta(days=10)
    end = start + timedelta(days=1, hours=13)

    # when
    action = redshift_serverless.create_scheduled_action(
        **scheduled_action_request(startTime=start, endTime=end)
    )["scheduledAction"]

    # then
    assert action["startTime"] == start
    assert action["endTime"] == end
    assert action["nextInvocations"] == [
        datetime(2030, 1, 12, 0, 0, tzinfo=UTC),
        datetime(2030, 1, 13, 0, 0, tzinfo=UTC),
    ]


def test_create_scheduled_action_end_before_start_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(
            **scheduled_action_request(startTime=NOON, endTime=NOON - timedelta(hours=1))
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for endTime: 2030-01-01T11:00:00+00:00 must be after startTime "
        "2030-01-01T12:00:00+00:00.",
    )


def test_create_scheduled_action_duplicate_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # then
    assert _error(raised) == ("ConflictException", "Scheduled action snap-one already exists.")


def test_create_scheduled_action_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # then
    assert _error(raised) == ("ResourceNotFoundException", f"Namespace {NAMESPACE} does not exist.")


def test_create_scheduled_action_name_over_60_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    name = "s" * 61

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request(name))

    # then
    assert _error(raised) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'scheduledActionName' failed to "
        "satisfy constraint: Member must have length less than or equal to 60",
    )


@pytest.mark.parametrize("retention", [0, 3654, -2])
def test_create_scheduled_action_retention_out_of_range_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any], retention: int
) -> None:
    # given
    target = {
        "createSnapshot": {
            "namespaceName": NAMESPACE,
            "snapshotNamePrefix": "daily",
            "retentionPeriod": retention,
        }
    }

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request(targetAction=target))

    # then
    assert _error(raised) == (
        "ValidationException",
        f"Invalid value for targetAction.createSnapshot.retentionPeriod: {retention}. "
        "Accepted values are -1 (retain indefinitely) or 1 to 3653 days.",
    )


def test_create_scheduled_action_over_50_snapshot_tags_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    tags = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    target = {
        "createSnapshot": {"namespaceName": NAMESPACE, "snapshotNamePrefix": "daily", "tags": tags}
    }

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request(targetAction=target))

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for targetAction.createSnapshot.tags: 51 tags. A snapshot can have at "
        "most 50 tags.",
    )


def test_create_scheduled_action_target_of_other_namespace_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    target = {"createSnapshot": {"namespaceName": "ns-other", "snapshotNamePrefix": "daily"}}

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request(targetAction=target))

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for targetAction.createSnapshot.namespaceName: ns-other. It must match "
        f"the scheduled action's namespace {NAMESPACE}.",
    )


def test_create_scheduled_action_with_both_at_and_cron_is_invalid(
    emulator: RedshiftServerlessBackend, namespace: dict[str, Any]
) -> None:
    # given a schedule botocore refuses client-side, as a raw request could still send it
    both = {"cron": "cron(0 0 * * ? *)", "at": datetime(2030, 1, 1, tzinfo=UTC)}

    # when
    with pytest.raises(ValidationException) as raised:
        emulator.create_scheduled_action(scheduled_action_request(schedule=both))

    # then
    assert (raised.value.code, raised.value.message) == (
        "ValidationException",
        "Invalid value for schedule: provide exactly one of at, cron.",
    )
    assert emulator.scheduled_actions == {}


def test_create_scheduled_action_rejected_role_fails_then_succeeds(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.reject_role(ROLE_ARN, times=1)

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request())
    retried = redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # then
    assert _error(raised) == (
        "ValidationException",
        f"The Amazon Redshift scheduler cannot assume the IAM role {ROLE_ARN}. "
        "Verify that the role exists and trusts scheduler.redshift.amazonaws.com.",
    )
    assert retried["scheduledAction"]["roleArn"] == ROLE_ARN


def test_get_scheduled_action_returns_it(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request(scheduledActionDescription="nightly")
    )

    # when
    action = redshift_serverless.get_scheduled_action(scheduledActionName="snap-one")

    # then
    assert action["scheduledAction"]["scheduledActionDescription"] == "nightly"
    assert action["scheduledAction"]["namespaceName"] == NAMESPACE


def test_get_scheduled_action_at_schedule_reads_back_the_instant(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given: the instant written with an offset, which the service keeps as the same moment
    clock.freeze(NOON)
    at = datetime(2030, 1, 3, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    redshift_serverless.create_scheduled_action(**scheduled_action_request(schedule={"at": at}))

    # when
    action = redshift_serverless.get_scheduled_action(scheduledActionName="snap-one")[
        "scheduledAction"
    ]

    # then
    assert action["schedule"] == {"at": datetime(2030, 1, 3, 12, 30, tzinfo=UTC)}
    assert action["nextInvocations"] == [datetime(2030, 1, 3, 12, 30, tzinfo=UTC)]


def test_get_scheduled_action_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_scheduled_action(scheduledActionName="missing")

    # then
    assert _error(raised) == (
        "ResourceNotFoundException",
        "Scheduled action missing does not exist.",
    )


def test_update_scheduled_action_changes_only_given_fields(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request(scheduledActionDescription="nightly")
    )

    # when
    updated = redshift_serverless.update_scheduled_action(
        scheduledActionName="snap-one", enabled=False, schedule={"cron": "0 6 * * ? *"}
    )["scheduledAction"]

    # then
    assert updated["state"] == "DISABLED"
    assert updated["schedule"] == {"cron": "0 6 * * ? *"}
    assert updated["scheduledActionDescription"] == "nightly"
    assert updated["roleArn"] == ROLE_ARN


def test_update_scheduled_action_invalid_cron_changes_nothing(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.update_scheduled_action(
            scheduledActionName="snap-one", enabled=False, schedule={"cron": "0 0 * *"}
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for schedule.cron: '0 0 * *'. Schedule '0 0 * *' has 4 fields; a cron "
        "expression needs 6: Minutes Hours Day-of-month Month Day-of-week Year",
    )
    action = redshift_serverless.get_scheduled_action(scheduledActionName="snap-one")
    assert action["scheduledAction"]["state"] == "ACTIVE"
    assert action["scheduledAction"]["schedule"] == {"cron": "cron(0 0 * * ? *)"}


def test_update_scheduled_action_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.update_scheduled_action(scheduledActionName="missing", enabled=True)

    # then
    assert _error(raised) == (
        "ResourceNotFoundException",
        "Scheduled action missing does not exist.",
    )


def test_delete_scheduled_action_removes_it(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(**scheduled_action_request())

    # when
    deleted = redshift_serverless.delete_scheduled_action(scheduledActionName="snap-one")

    # then
    assert deleted["scheduledAction"]["scheduledActionName"] == "snap-one"
    assert redshift_serverless.list_scheduled_actions()["scheduledActions"] == []


def test_delete_scheduled_action_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_scheduled_action(scheduledActionName="missing")

    # then
    assert _error(raised) == (
        "ResourceNotFoundException",
        "Scheduled action missing does not exist.",
    )


def test_list_scheduled_actions_filters_by_namespace(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_namespace(namespaceName="ns-two")
    redshift_serverless.create_scheduled_action(**scheduled_action_request("snap-one"))
    other_target = {"createSnapshot": {"namespaceName": "ns-two", "snapshotNamePrefix": "x"}}
    redshift_serverless.create_scheduled_action(
        **scheduled_action_request("snap-two", namespaceName="ns-two", targetAction=other_target)
    )

    # when
    everything = redshift_serverless.list_scheduled_actions()["scheduledActions"]
    filtered = redshift_serverless.list_scheduled_actions(namespaceName="ns-two")

    # then
    assert everything == [
        {"namespaceName": NAMESPACE, "scheduledActionName": "snap-one"},
        {"namespaceName": "ns-two", "scheduledActionName": "snap-two"},
    ]
    assert filtered["scheduledActions"] == [
        {"namespaceName": "ns-two", "scheduledActionName": "snap-two"}
    ]


def test_list_scheduled_actions_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_scheduled_actions(namespaceName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Namespace missing does not exist.")


def test_list_scheduled_actions_legacy_shape_answers_plain_names(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_scheduled_action(**scheduled_action_request())
    settings.legacy_list_scheduled_actions = True
    bodies: list[bytes] = []
    redshift_serverless.meta.events.register(
        "before-parse.redshift-serverless.ListScheduledActions",
        lambda response_dict, **_: bodies.append(response_dict["body"]),
    )

    # when: current botocore models objects, so it cannot parse the legacy strings
    with pytest.raises(AttributeError):
        redshift_serverless.list_scheduled_actions()

    # then
    assert json.loads(bodies[0]) == {"scheduledActions": ["snap-one"]}


def test_update_scheduled_action_rejected_role_keeps_the_old_one(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    redshift_serverless.create_scheduled_action(**scheduled_action_request())
    new_role = "arn:aws:iam::123456789012:role/fresh"
    emulator.reject_role(new_role, times=1)

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.update_scheduled_action(
            scheduledActionName="snap-one", roleArn=new_role
        )

    # then
    code, message = _error(raised)
    assert code == "ValidationException"
    assert message.startswith(
        f"The Amazon Redshift scheduler cannot assume the IAM role {new_role}."
    )
    action = redshift_serverless.get_scheduled_action(scheduledActionName="snap-one")
    assert action["scheduledAction"]["roleArn"] == ROLE_ARN


def test_create_scheduled_action_malformed_role_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_scheduled_action(**scheduled_action_request(roleArn="scheduler"))

    # then
    code, message = _error(raised)
    assert code == "ValidationException"
    assert message.startswith(
        "1 validation error detected: Value 'scheduler' at 'roleArn' failed to satisfy constraint"
    )
