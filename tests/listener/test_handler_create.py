"""CreateNamespace events through the real handler, against the emulator."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import pytest

import moto_redshift_serverless
from custom_resource.reconcile import ensure_schedule
from custom_resource.spec import Defaults, Owner, build_spec, parse_marker
from tests.listener.conftest import Invoke
from tests.listener.samples import cloudtrail_event, load_event
from tests.listener.world import DESTINATION_REGION, World, writes

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def test_handler_create_namespace_available_at_once_gets_the_default_schedule(
    world: World, invoke: Invoke
) -> None:
    # given
    world.namespace("sales-analytics")

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["status"] == "ok"
    assert result["outcome"] == "created"
    action = world.scheduled_actions("sales-analytics")["snapshot-sales-analytics"]
    marker = parse_marker(action["scheduledActionDescription"])
    assert marker is not None
    assert marker.owner == "listener"
    assert marker.copy_region == DESTINATION_REGION
    assert action["schedule"] == {"cron": "cron(0 0,8,16 * * ? *)"}
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 7
    assert world.copy_regions("sales-analytics") == [DESTINATION_REGION]


def test_handler_create_namespace_modifying_for_a_while_waits_for_it(
    world: World, invoke: Invoke
) -> None:
    # given: the namespace answers MODIFYING to its next three reads
    world.namespace("sales-analytics")
    world.backend.set_namespace_status("sales-analytics", "MODIFYING", reads=3)

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["outcome"] == "created"
    assert moto_redshift_serverless.call_log.counts()["GetNamespace"] == 4
    assert "snapshot-sales-analytics" in world.scheduled_actions()


def test_handler_create_namespace_never_ready_gives_up_after_the_attempts(
    world: World, invoke: Invoke
) -> None:
    # given
    world.namespace("sales-analytics")
    world.backend.set_namespace_status("sales-analytics", "MODIFYING")

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result == {
        "status": "ok",
        "event": "CreateNamespace",
        "namespace_name": "sales-analytics",
        "outcome": "not_ready",
        "namespace_status": "MODIFYING",
    }
    assert moto_redshift_serverless.call_log.counts()["GetNamespace"] == 5
    assert writes() == {}


def test_handler_create_namespace_never_ready_stops_before_the_lambda_deadline(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: attempts that would take 100 s, in a Lambda with 1.5 s left and a 0.5 s margin
    monkeypatch.setenv("WAIT_ATTEMPTS", "1000")
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.1")
    world.namespace("sales-analytics")
    world.backend.set_namespace_status("sales-analytics", "MODIFYING")

    # when
    result = invoke(load_event("create-namespace.json"), timeout=1.5)

    # then: it gave up well short of the attempts, and wrote nothing
    assert result["outcome"] == "not_ready"
    assert moto_redshift_serverless.call_log.counts()["GetNamespace"] < 1000
    assert writes() == {}


def test_handler_create_namespace_already_covered_adds_nothing(
    world: World, invoke: Invoke
) -> None:
    # given: a scheduled action made by hand under another name
    world.namespace("sales-analytics")
    world.foreign_action("sales-analytics", "nightly-by-hand")
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["outcome"] == "covered"
    assert result["scheduled_actions"] == ["nightly-by-hand"]
    assert list(world.scheduled_actions()) == ["nightly-by-hand"]
    assert writes() == {}


def test_handler_create_namespace_coexists_with_a_stack_owned_schedule(
    world: World, invoke: Invoke, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given: a stack's custom resource declared this namespace's schedule first
    world.namespace("sales-analytics")
    stack_spec = build_spec(
        "sales-analytics",
        Defaults.from_environ(os.environ),
        Owner.stack("analytics", "SalesSchedule"),
        overrides={"retention_period": "35"},
    )
    ensure_schedule(redshift_serverless, stack_spec)
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: the stack's action is untouched and no second one appears
    assert result["outcome"] == "covered"
    assert writes() == {}
    (action,) = world.scheduled_actions().values()
    marker = parse_marker(action["scheduledActionDescription"])
    assert marker is not None
    assert marker.owner == "stack/analytics/SalesSchedule"
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 35


def test_handler_create_namespace_twice_is_a_no_op(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("sales-analytics")
    event = load_event("create-namespace.json")
    invoke(event)
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke(event)

    # then
    assert result["outcome"] == "covered"
    assert writes() == {}
    assert list(world.scheduled_actions()) == ["snapshot-sales-analytics"]


def test_handler_create_namespace_opted_out_by_tag_is_left_alone(
    world: World, invoke: Invoke
) -> None:
    # given
    world.namespace("sales-analytics", tags={"snapshot-schedule": "off"})

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["outcome"] == "skipped_opt_out"
    assert world.scheduled_actions() == {}
    assert writes() == {}


def test_handler_create_namespace_opt_out_follows_opt_out_tag(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv("OPT_OUT_TAG", "backup")
    world.namespace("sales-analytics", tags={"backup": "off"})

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["outcome"] == "skipped_opt_out"
    assert world.scheduled_actions() == {}


def test_handler_create_namespace_applies_valid_tag_overrides(world: World, invoke: Invoke) -> None:
    # given
    world.namespace(
        "sales-analytics",
        tags={
            "snapshot-schedule:schedule": "0 3 * * ? *",
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:destination-region": "us-west-2",
            "snapshot-schedule:copy-retention-period": "3",
        },
    )

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["outcome"] == "created"
    assert result["tag_problems"] == []
    action = world.scheduled_actions()["snapshot-sales-analytics"]
    assert action["schedule"] == {"cron": "cron(0 3 * * ? *)"}
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 30
    (configuration,) = world.backend.snapshot_copy_configurations.values()
    assert configuration.destination_region == "us-west-2"
    assert configuration.retention_period == 3


def test_handler_create_namespace_invalid_tag_override_uses_all_defaults(
    world: World, invoke: Invoke, caplog: pytest.LogCaptureFixture
) -> None:
    # given: one valid and one invalid override
    world.namespace(
        "sales-analytics",
        tags={
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:destination-region": "mars-north-1",
        },
    )
    caplog.set_level(logging.INFO)

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: defaults throughout, and the problem names the tag, the value and what is accepted
    assert result["outcome"] == "created"
    (problem,) = result["tag_problems"]
    assert problem.startswith("tag snapshot-schedule:destination-region must be an AWS region")
    assert problem.endswith("got 'mars-north-1'")
    action = world.scheduled_actions()["snapshot-sales-analytics"]
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 7
    assert world.copy_regions("sales-analytics") == [DESTINATION_REGION]
    assert problem in caplog.text


def test_handler_create_namespace_tagged_to_copy_into_its_own_region_uses_the_defaults(
    world: World, invoke: Invoke
) -> None:
    # given: the destination-region tag names the namespace's own region
    world.namespace(
        "sales-analytics",
        tags={
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:destination-region": "eu-west-1",
        },
    )

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: the tag is reported like any bad override, and the namespace gets the defaults
    assert (result["status"], result["outcome"]) == ("ok", "created")
    assert result["tag_problems"] == [
        "tag snapshot-schedule:destination-region must be a region other than the namespace's "
        "own (eu-west-1), or 'none', got 'eu-west-1'"
    ]
    action = world.scheduled_actions()["snapshot-sales-analytics"]
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 7
    assert world.copy_regions("sales-analytics") == [DESTINATION_REGION]


def test_handler_create_namespace_that_is_gone_does_nothing(world: World, invoke: Invoke) -> None:
    # given: the namespace was created and deleted before the event was handled
    event = cloudtrail_event("CreateNamespace", "short-lived")

    # when
    result = invoke(event)

    # then
    assert result["outcome"] == "gone"
    assert writes() == {}
    assert world.scheduled_actions() == {}


def test_handler_create_namespace_failed_call_does_nothing(
    world: World, invoke: Invoke, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a rejected CreateNamespace, for a namespace that exists (from an earlier call)
    world.namespace("sales-analytics")
    event = cloudtrail_event(
        "CreateNamespace",
        "sales-analytics",
        errorCode="ConflictException",
        errorMessage="Namespace sales-analytics already exists.",
        responseElements=None,
    )
    caplog.set_level(logging.INFO)

    # when
    result = invoke(event)

    # then: one log line, no call at all
    assert result == {
        "status": "ignored",
        "kind": "failed_call",
        "reason": "CreateNamespace failed with 'ConflictException'",
    }
    assert moto_redshift_serverless.call_log.counts() == {}
    assert [r.getMessage() for r in caplog.records if r.name.startswith("event_listener")] == [
        "Event ignored: CreateNamespace failed with 'ConflictException'"
    ]


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        "CreateNamespace",
        {"detail-type": "AWS API Call via CloudTrail"},
        {"detail-type": "AWS API Call via CloudTrail", "detail": {"eventName": "CreateNamespace"}},
        cloudtrail_event("CreateNamespace", "UPPER_CASE"),
        cloudtrail_event("CreateNamespace", "x" * 65),
        cloudtrail_event("CreateNamespace", "sales", requestParameters=None, responseElements={}),
        cloudtrail_event("CreateWorkgroup", "sales", eventName="CreateWorkgroup"),
        {"source": "aws.s3", "detail-type": "Object Created", "detail": {}},
        {"RequestType": "Create", "ResponseURL": "https://example.com/secret"},
    ],
)
def test_handler_malformed_or_unknown_events_are_ignored(
    world: World, invoke: Invoke, event: object
) -> None:
    # given
    world.namespace("sales")

    # when
    result = invoke(event)

    # then
    assert result["status"] == "ignored"
    assert result["reason"]
    assert moto_redshift_serverless.call_log.counts() == {}


def test_handler_never_logs_request_parameters(
    world: World, invoke: Invoke, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    world.namespace("sales-analytics")
    caplog.set_level(logging.DEBUG)

    # when
    invoke(load_event("create-namespace.json"))
    invoke(cloudtrail_event("CreateNamespace", "Bad Name"))

    # then
    assert "HIDDEN_DUE_TO_SECURITY_REASONS" not in caplog.text
    assert "adminUserPassword" not in caplog.text


def test_handler_invalid_environment_returns_a_clear_error(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    monkeypatch.delenv("DEST_REGION")
    world.namespace("sales-analytics")
    caplog.set_level(logging.INFO)

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["status"] == "error"
    assert "DEST_REGION" in result["error"]
    assert "'none'" in result["error"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert moto_redshift_serverless.call_log.counts() == {}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WAIT_ATTEMPTS", "0"),
        ("WAIT_INTERVAL_SECONDS", "soon"),
        ("SWEEP_CONCURRENCY", "1000"),
        ("SWEEP_DRY_RUN", "maybe"),
        ("OPT_OUT_TAG", "has space"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_handler_invalid_listener_variable_is_named_in_the_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    # given
    monkeypatch.setenv(variable, value)

    # when
    result = invoke({})

    # then
    assert result["status"] == "error"
    assert result["error"].startswith(f"invalid configuration: {variable} must be ")
    assert repr(value) in result["error"]


def test_handler_create_namespace_refused_by_the_engine_is_reported(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the copy destination is the namespace's own region
    monkeypatch.setenv("DEST_REGION", "eu-west-1")
    world.namespace("sales-analytics")

    # when
    result = invoke(load_event("create-namespace.json"))

    # then
    assert result["status"] == "failed"
    assert result["event"] == "CreateNamespace"
    assert result["namespace_name"] == "sales-analytics"
    assert "eu-west-1" in result["error"]
    assert writes() == {}


def test_handler_create_namespace_stops_retrying_a_refused_role_before_the_deadline(
    world: World, invoke: Invoke
) -> None:
    # given a scheduler role the service keeps refusing, in a Lambda with 4.5 s left
    world.namespace("sales-analytics")
    world.backend.reject_role(os.environ["ROLE_ARN"], times=100)

    # when
    result = invoke(load_event("create-namespace.json"), timeout=4.5)

    # then it answered before the deadline (one 2 s retry fitted, a 4 s one did not)
    assert result["status"] == "failed"
    assert result["error"].startswith("Out of time: the next retry, in 4 s, would pass")
    assert moto_redshift_serverless.call_log.counts()["CreateScheduledAction"] == 2
    assert world.backend.scheduled_actions == {}


def test_handler_create_namespace_understands_the_older_list_shape(
    world: World, invoke: Invoke
) -> None:
    # given: ListScheduledActions answers plain names; one namespace is covered by hand
    world.namespace("sales-analytics")
    world.namespace("finance")
    world.foreign_action("finance", "finance-by-hand")
    moto_redshift_serverless.settings.legacy_list_scheduled_actions = True

    # when
    covered = invoke(cloudtrail_event("CreateNamespace", "finance"))
    created = invoke(load_event("create-namespace.json"))

    # then
    assert covered["outcome"] == "covered"
    assert covered["scheduled_actions"] == ["finance-by-hand"]
    assert created["outcome"] == "created"
    assert sorted(world.scheduled_actions()) == ["finance-by-hand", "snapshot-sales-analytics"]
