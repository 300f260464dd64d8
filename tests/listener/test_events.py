"""Classifying incoming events: pure, never raising, never leaking request parameters."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from event_listener.events import (
    Ignored,
    NamespaceCreated,
    NamespaceDeleted,
    SweepRequested,
    parse_event,
    parse_flag,
)
from tests.listener.samples import load_event


def test_parse_event_create_namespace_sample() -> None:
    # given
    event = load_event("create-namespace.json")

    # when
    parsed = parse_event(event)

    # then
    assert parsed == NamespaceCreated("sales-analytics", "6a7e8feb-b491-4cf7-a9f1-bf3703467718")


def test_parse_event_delete_namespace_sample() -> None:
    # given
    event = load_event("delete-namespace.json")

    # when
    parsed = parse_event(event)

    # then
    assert parsed == NamespaceDeleted("sales-analytics", "0f1e2d3c-4b5a-4968-8776-655443322110")


def test_parse_event_scheduled_event_sample_is_a_sweep() -> None:
    # given
    event = load_event("scheduled-sweep.json")

    # when
    parsed = parse_event(event)

    # then
    assert parsed == SweepRequested("schedule", {})


def test_parse_event_empty_object_is_a_manual_sweep() -> None:
    # when
    parsed = parse_event({})

    # then
    assert parsed == SweepRequested("manual", {})


@pytest.mark.parametrize(
    ("event", "options"),
    [
        ({"dry_run": True}, {"dry_run": True}),
        ({"repair": True, "prune": False}, {"repair": True, "prune": False}),
        ({"dry_run": "TRUE", "prune": "false"}, {"dry_run": True, "prune": False}),
    ],
)
def test_parse_event_manual_sweep_reads_options(
    event: dict[str, Any], options: dict[str, bool]
) -> None:
    # when
    parsed = parse_event(event)

    # then
    assert parsed == SweepRequested("manual", options)


def test_parse_event_manual_sweep_rejects_a_bad_option_value() -> None:
    # when
    parsed = parse_event({"dry_run": "maybe"})

    # then
    assert parsed == Ignored("malformed", "dry_run must be true or false, got 'maybe'")


def test_parse_event_manual_sweep_rejects_unknown_fields() -> None:
    # when
    parsed = parse_event({"dryrun": True})

    # then
    assert isinstance(parsed, Ignored)
    assert parsed.kind == "unhandled"
    assert "'dryrun'" in parsed.reason
    assert "dry_run, repair, prune" in parsed.reason


def test_parse_event_create_falls_back_to_response_elements() -> None:
    # given
    event = load_event("create-namespace.json")
    del event["detail"]["requestParameters"]["namespaceName"]
    event["detail"]["responseElements"]["namespace"]["namespaceName"] = "from-response"

    # when
    parsed = parse_event(event)

    # then
    assert parsed == NamespaceCreated("from-response", event["id"])


def test_parse_event_illegal_request_name_falls_back_to_response_elements() -> None:
    # given: a request parameter the service redacted
    event = load_event("create-namespace.json")
    event["detail"]["requestParameters"]["namespaceName"] = "HIDDEN_DUE_TO_SECURITY_REASONS"

    # when
    parsed = parse_event(event)

    # then
    assert parsed == NamespaceCreated("sales-analytics", event["id"])


def test_parse_event_request_parameters_win_over_response_elements() -> None:
    # given
    event = load_event("create-namespace.json")
    event["detail"]["responseElements"]["namespace"]["namespaceName"] = "other-name"

    # when
    parsed = parse_event(event)

    # then
    assert parsed == NamespaceCreated("sales-analytics", event["id"])


@pytest.mark.parametrize("event_name", ["CreateNamespace", "DeleteNamespace"])
def test_parse_event_failed_call_is_ignored(event_name: str) -> None:
    # given
    event = load_event("create-namespace.json")
    event["detail"]["eventName"] = event_name
    event["detail"]["errorCode"] = "ConflictException"
    event["detail"]["errorMessage"] = "Namespace already exists"
    event["detail"]["responseElements"] = None

    # when
    parsed = parse_event(event)

    # then
    assert parsed == Ignored("failed_call", f"{event_name} failed with 'ConflictException'")


@pytest.mark.parametrize(
    ("mutate", "kind", "reason"),
    [
        (
            lambda e: e["detail"].__setitem__("eventName", "CreateWorkgroup"),
            "unhandled",
            "CloudTrail event 'CreateWorkgroup' is not handled",
        ),
        (
            lambda e: e["detail"].__setitem__("eventSource", "s3.amazonaws.com"),
            "unhandled",
            "CloudTrail events from 's3.amazonaws.com' are not handled",
        ),
        (
            lambda e: e.__setitem__("detail", "not an object"),
            "malformed",
            "a CloudTrail event without a 'detail' object",
        ),
        (
            lambda e: e["detail"].update(requestParameters=None, responseElements=None),
            "malformed",
            "CreateNamespace event has no namespace name in requestParameters.namespaceName "
            "or responseElements.namespace.namespaceName",
        ),
        (
            lambda e: (
                e["detail"]["requestParameters"].__setitem__("namespaceName", "Bad_Name"),
                e["detail"].__setitem__("responseElements", None),
            ),
            "malformed",
            "CreateNamespace event names namespace 'Bad_Name', which is not a legal namespace "
            "name (3-64 characters of a-z, 0-9 and '-')",
        ),
        (
            lambda e: (
                e["detail"]["requestParameters"].__setitem__("namespaceName", 42),
                e["detail"].__setitem__("responseElements", None),
            ),
            "malformed",
            "CreateNamespace event names namespace 42, which is not a legal namespace "
            "name (3-64 characters of a-z, 0-9 and '-')",
        ),
        (
            lambda e: (
                e["detail"]["requestParameters"].__setitem__("namespaceName", "ab"),
                e["detail"]["responseElements"]["namespace"].__setitem__("namespaceName", "ab"),
            ),
            "malformed",
            "CreateNamespace event names namespace 'ab', which is not a legal namespace "
            "name (3-64 characters of a-z, 0-9 and '-')",
        ),
    ],
)
def test_parse_event_cloudtrail_variants_are_ignored(mutate: Any, kind: str, reason: str) -> None:
    # given
    event = load_event("create-namespace.json")
    mutate(event)

    # when
    parsed = parse_event(event)

    # then
    assert parsed == Ignored(kind, reason)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (None, "the event is a NoneType, not a JSON object"),
        ([], "the event is a list, not a JSON object"),
        ("{}", "the event is a str, not a JSON object"),
        (
            {"source": "aws.s3", "detail-type": "Object Created", "detail": {}},
            "events of source 'aws.s3' and detail-type 'Object Created' are not handled",
        ),
        (
            {"source": "aws.events", "detail-type": "Something Else"},
            "events of source 'aws.events' and detail-type 'Something Else' are not handled",
        ),
    ],
)
def test_parse_event_unknown_shapes_are_ignored(event: object, reason: str) -> None:
    # when
    parsed = parse_event(event)

    # then
    assert isinstance(parsed, Ignored)
    assert parsed.reason == reason


def test_parse_event_never_repeats_request_parameters() -> None:
    # given: a create event whose name is illegal, so the reason quotes it
    event = load_event("create-namespace.json")
    event["detail"]["requestParameters"]["namespaceName"] = "x" * 500
    event["detail"]["responseElements"] = None

    # when
    parsed = parse_event(event)

    # then: the quoted value is cut short and no secret field is named
    assert isinstance(parsed, Ignored)
    assert len(parsed.reason) < 200
    assert "HIDDEN_DUE_TO_SECURITY_REASONS" not in parsed.reason


def test_parse_event_does_not_modify_the_event() -> None:
    # given
    event = load_event("create-namespace.json")
    before = copy.deepcopy(event)

    # when
    parse_event(event)

    # then
    assert event == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("true", True), (" Off ", False), ("1", True), (1, None)],
)
def test_parse_flag_accepts_booleans_and_words(value: object, expected: bool | None) -> None:
    # when / then
    assert parse_flag(value) is expected
