"""Classify the events the listener receives and pull out what it needs from them.

Parsing never raises and never acts: whatever arrives becomes one of four plain values, and an
event the listener cannot use becomes `Ignored` with a reason that is safe to log (it names event
names, error codes and field names, never request parameters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeGuard

CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
SCHEDULED_DETAIL_TYPE = "Scheduled Event"
REDSHIFT_SERVERLESS_EVENT_SOURCE = "redshift-serverless.amazonaws.com"
REDSHIFT_SERVERLESS_SOURCE = "aws.redshift-serverless"
SWEEP_OPTION_FIELDS = ("dry_run", "repair", "prune")

NAMESPACE_NAME_PATTERN = re.compile(r"[a-z0-9-]{3,64}")
NAMESPACE_NAME_RULE = "3-64 characters of a-z, 0-9 and '-'"

_TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
_FALSE_WORDS = frozenset({"false", "no", "0", "off", ""})
_LOGGED_VALUE_LIMIT = 70


@dataclass(frozen=True)
class NamespaceCreated:
    """A CreateNamespace call succeeded."""

    namespace_name: str
    event_id: str | None = None


@dataclass(frozen=True)
class NamespaceDeleted:
    """A DeleteNamespace call succeeded."""

    namespace_name: str
    event_id: str | None = None


@dataclass(frozen=True)
class SweepRequested:
    """A manual `{}` invocation or a scheduled rule asks for a sweep; options override the env."""

    trigger: Literal["manual", "schedule"]
    options: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Ignored:
    """Nothing to do: a failed call, an event the listener does not handle, or bad input."""

    kind: Literal["failed_call", "unhandled", "malformed"]
    reason: str


ListenerEvent = NamespaceCreated | NamespaceDeleted | SweepRequested | Ignored


def parse_event(event: object) -> ListenerEvent:
    """Classify one incoming event; never raises, whatever `event` is."""
    if not isinstance(event, Mapping):
        return Ignored("malformed", f"the event is a {type(event).__name__}, not a JSON object")

    detail_type = event.get("detail-type")
    if detail_type == CLOUDTRAIL_DETAIL_TYPE:
        return _parse_cloudtrail(event)
    if detail_type == SCHEDULED_DETAIL_TYPE and event.get("source") == "aws.events":
        return SweepRequested("schedule")
    if detail_type is not None or "source" in event or "detail" in event:
        return Ignored(
            "unhandled",
            f"events of source {_quote(event.get('source'))} and "
            f"detail-type {_quote(detail_type)} are not handled",
        )

    return _parse_manual(event)


def is_legal_namespace_name(name: object) -> TypeGuard[str]:
    """True when `name` could name a Redshift Serverless namespace."""
    return isinstance(name, str) and NAMESPACE_NAME_PATTERN.fullmatch(name) is not None


def _parse_cloudtrail(event: Mapping[str, object]) -> ListenerEvent:
    # EventBridge sets the top-level source itself; detail is whatever the sender put there.
    source = event.get("source")
    if source != REDSHIFT_SERVERLESS_SOURCE:
        return Ignored("unhandled", f"CloudTrail events of source {_quote(source)} are not handled")

    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        return Ignored("malformed", "a CloudTrail event without a 'detail' object")

    event_source = detail.get("eventSource")
    event_name = detail.get("eventName")
    if event_source != REDSHIFT_SERVERLESS_EVENT_SOURCE:
        return Ignored(
            "unhandled", f"CloudTrail events from {_quote(event_source)} are not handled"
        )
    if event_name not in ("CreateNamespace", "DeleteNamespace"):
        return Ignored("unhandled", f"CloudTrail event {_quote(event_name)} is not handled")

    # A rejected call still produces an event; it changed nothing, so there is nothing to follow.
    error_code = detail.get("errorCode")
    if error_code is not None:
        return Ignored("failed_call", f"{event_name} failed with {_quote(error_code)}")

    name = _namespace_name(detail)
    if name is None:
        return Ignored(
            "malformed",
            f"{event_name} event has no namespace name in requestParameters.namespaceName "
            "or responseElements.namespace.namespaceName",
        )
    if not is_legal_namespace_name(name):
        return Ignored(
            "malformed",
            f"{event_name} event names namespace {_quote(name)}, "
            f"which is not a legal namespace name ({NAMESPACE_NAME_RULE})",
        )

    event_id = event.get("id")
    event_id = event_id if isinstance(event_id, str) else None
    if event_name == "CreateNamespace":
        return NamespaceCreated(name, event_id)
    return NamespaceDeleted(name, event_id)


def _namespace_name(detail: Mapping[str, object]) -> object:
    """The request's name if legal, else the response's if legal, else whichever is present."""
    request = detail.get("requestParameters")
    response = detail.get("responseElements")
    namespace = response.get("namespace") if isinstance(response, Mapping) else None
    candidates = [
        request.get("namespaceName") if isinstance(request, Mapping) else None,
        namespace.get("namespaceName") if isinstance(namespace, Mapping) else None,
    ]

    legal = [name for name in candidates if is_legal_namespace_name(name)]
    if legal:
        return legal[0]
    return next((name for name in candidates if name is not None), None)


def _parse_manual(event: Mapping[str, object]) -> ListenerEvent:
    unknown = sorted(str(key) for key in event if key not in SWEEP_OPTION_FIELDS)
    if unknown:
        shown = ", ".join(_quote(key) for key in unknown[:10])
        return Ignored(
            "unhandled",
            f"unrecognised event with fields {shown}; a manual sweep accepts only "
            f"{', '.join(SWEEP_OPTION_FIELDS)}",
        )

    options: dict[str, bool] = {}
    for name in SWEEP_OPTION_FIELDS:
        if name not in event:
            continue
        value = parse_flag(event[name])
        if value is None:
            return Ignored(
                "malformed",
                f"{name} must be true or false, got {_quote(event[name])}",
            )
        options[name] = value

    return SweepRequested("manual", options)


def parse_flag(value: object) -> bool | None:
    """A boolean from JSON true/false or a word such as "true"/"false"; None if neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _quote(value: object) -> str:
    """A short, printable rendering of a value taken from an event, safe for one log line."""
    text = repr(value)
    if len(text) > _LOGGED_VALUE_LIMIT:
        text = text[: _LOGGED_VALUE_LIMIT - 3] + "..."
    return text
