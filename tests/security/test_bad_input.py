"""The bad-input corpus: every case ends in a clear error or a logged rejection, never in a
crash and never in a write to Redshift Serverless (tag cases: never in a write of a bad value)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import moto_redshift_serverless
from custom_resource.errors import SnapshotScheduleError
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.listener.world import writes
from tests.security.conftest import ROLE_ARN, Listen
from tests.security.corpus_loader import listener_event, load_cases, properties
from tests.support.cfn_driver import CloudFormationDriver

CUSTOM_RESOURCE_CASES = load_cases("custom_resource.json")
LISTENER_CASES = load_cases("listener.json")
LISTENER_NAMESPACE = "sales-analytics"


def crashes(records: list[logging.LogRecord]) -> list[str]:
    """Exceptions logged that are not the product's own errors: crashes, however caught."""
    return [
        f"{record.name}: {record.exc_info[1]!r}"
        for record in records
        if record.exc_info
        and record.exc_info[1] is not None
        and not isinstance(record.exc_info[1], SnapshotScheduleError)
    ]


def scheduled_actions(backend: RedshiftServerlessBackend) -> dict[str, Any]:
    return {
        name: {k: v for k, v in action.to_dict().items() if k != "nextInvocations"}
        for name, action in backend.scheduled_actions.items()
    }


def test_corpus_is_large_enough() -> None:
    assert len(CUSTOM_RESOURCE_CASES) + len(LISTENER_CASES) >= 50


@pytest.mark.parametrize("case", CUSTOM_RESOURCE_CASES)
def test_custom_resource_answers_bad_input_clearly(
    case: dict[str, Any],
    cfn: CloudFormationDriver,
    emulator: RedshiftServerlessBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    emulator.create_namespace({"namespaceName": "orders"})
    if "foreign_action" in case:
        emulator.create_scheduled_action(
            {
                "scheduledActionName": case["foreign_action"],
                "namespaceName": "orders",
                "roleArn": ROLE_ARN,
                "schedule": {"cron": "cron(0 12 * * ? *)"},
                "targetAction": {"createSnapshot": {"namespaceName": "orders"}},
                "scheduledActionDescription": "made by hand",
            }
        )
    before = scheduled_actions(emulator)
    event = cfn.build_event(
        case.get("request", "Create"),
        "Schedule",
        properties(case),
        stack_name="orders-stack",
        physical_resource_id=case.get("physical_id"),
        old_properties=case.get("old_properties"),
    )
    if case.get("raw"):
        event["ResourceProperties"] = {"ServiceToken": cfn.function_arn, **properties(case)}
    moto_redshift_serverless.call_log.clear()

    # when
    with caplog.at_level(logging.DEBUG):
        response = cfn.send_event(event)

    # then
    expect = case["expect"]
    assert response.status == expect["status"], response.reason
    for text in expect.get("reason", []):
        assert text in response.reason
    assert len(response.reason) <= 256
    assert writes() == {}
    assert scheduled_actions(emulator) == before
    assert crashes(caplog.records) == []


@pytest.mark.parametrize("case", LISTENER_CASES)
def test_listener_rejects_bad_input_clearly(
    case: dict[str, Any],
    listen: Listen,
    emulator: RedshiftServerlessBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    tags = [{"key": key, "value": value} for key, value in case.get("tags", {}).items()]
    emulator.create_namespace({"namespaceName": LISTENER_NAMESPACE, "tags": tags})
    event = listener_event(case)
    moto_redshift_serverless.call_log.clear()

    # when
    with caplog.at_level(logging.DEBUG):
        result = listen(event)

    # then
    expect = case["expect"]
    assert result["status"] == expect["status"], result
    assert crashes(caplog.records) == []
    if expect.get("writes"):
        problems = " ".join(" ".join(p) for p in [result["tag_problems"]])
        for text in expect["tag_problem"]:
            assert text in problems
        action = emulator.scheduled_actions[f"snapshot-{LISTENER_NAMESPACE}"]
        assert action.target_action["createSnapshot"]["retentionPeriod"] == expect["retention"]
        assert action.role_arn == ROLE_ARN
        assert any(
            record.levelno == logging.WARNING and expect["tag_problem"][0] in record.getMessage()
            for record in caplog.records
        )
        return

    assert result["kind"] == expect["kind"]
    for text in expect.get("reason", []):
        assert text in result["reason"]
    assert len(result["reason"]) < expect.get("reason_shorter_than", 1000)
    assert writes() == {}
    assert emulator.scheduled_actions == {}
    assert any(
        record.name == "event_listener.handler" and "Event ignored" in record.getMessage()
        for record in caplog.records
    )
