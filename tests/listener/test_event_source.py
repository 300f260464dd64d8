"""parse_event trusts a CloudTrail event only when EventBridge says it came from the service."""

from __future__ import annotations

import pytest

from event_listener.events import Ignored, NamespaceCreated, parse_event
from tests.listener.samples import load_event


@pytest.mark.parametrize("source", ["custom.attacker", "aws.redshift", "", None])
def test_parse_event_cloudtrail_from_another_source_is_ignored(source: str | None) -> None:
    # given a CreateNamespace event whose top-level source is not the service's
    event = load_event("create-namespace.json") | {"source": source}

    # when
    parsed = parse_event(event)

    # then
    assert parsed == Ignored("unhandled", f"CloudTrail events of source {source!r} are not handled")


def test_parse_event_cloudtrail_without_a_source_is_ignored() -> None:
    # given
    event = load_event("create-namespace.json")
    del event["source"]

    # when
    parsed = parse_event(event)

    # then
    assert parsed == Ignored("unhandled", "CloudTrail events of source None are not handled")


def test_parse_event_cloudtrail_from_the_service_is_followed() -> None:
    # given
    event = load_event("create-namespace.json")

    # when
    parsed = parse_event(event)

    # then
    assert event["source"] == "aws.redshift-serverless"
    assert isinstance(parsed, NamespaceCreated)
    assert parsed.namespace_name == "sales-analytics"
