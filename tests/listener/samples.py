"""Sample events for the listener's tests: the JSON files in events/, loaded fresh each time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parent / "events"


def load_event(file_name: str) -> dict[str, Any]:
    """A new copy of a sample event, safe to modify."""
    event: dict[str, Any] = json.loads((EVENTS / file_name).read_text())
    return event


def cloudtrail_event(event_name: str, namespace_name: str, **detail: Any) -> dict[str, Any]:
    """The sample CreateNamespace/DeleteNamespace event, for another namespace.

    Extra keyword arguments replace fields of `detail` (e.g. errorCode="ConflictException").
    """
    file_name = (
        "create-namespace.json" if event_name == "CreateNamespace" else "delete-namespace.json"
    )
    event = load_event(file_name)
    event["detail"]["requestParameters"]["namespaceName"] = namespace_name
    event["detail"]["responseElements"]["namespace"]["namespaceName"] = namespace_name
    event["detail"].update(detail)
    return event
