"""Reads the bad-input corpus (corpus/*.json) and builds the inputs its cases describe."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.listener.samples import load_event

CORPUS = Path(__file__).parent / "corpus"


def load_cases(file_name: str) -> list[Any]:
    """The cases of one corpus file as pytest params named after them; a case with "xfail"
    is a known, reported defect and must keep failing until it is fixed."""
    cases = json.loads((CORPUS / file_name).read_text())["cases"]
    params = []
    for case in cases:
        marks = (
            [pytest.mark.xfail(strict=True, raises=AssertionError, reason=case["xfail"])]
            if "xfail" in case
            else []
        )
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


def expand(value: Any) -> Any:
    """Replace {"$repeat": s, "times": n} by s * n and {"$fields": n} by n made-up fields."""
    if isinstance(value, dict):
        if "$repeat" in value:
            return str(value["$repeat"]) * int(value["times"])
        if "$fields" in value:
            return {f"field{index}": index for index in range(int(value["$fields"]))}
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


def listener_event(case: dict[str, Any]) -> Any:
    """The event a listener case describes: a sample event edited, or the case's own."""
    if "base" not in case:
        return expand(copy.deepcopy(case["event"]))

    event = load_event(case["base"])
    for path in case.get("delete", []):
        parent, key = _parent(event, path)
        parent.pop(key, None)
    for path, value in case.get("set", {}).items():
        parent, key = _parent(event, path)
        parent[key] = expand(value)
    return event


def properties(case: dict[str, Any]) -> dict[str, Any]:
    """The ResourceProperties a custom resource case describes (without ServiceToken)."""
    result: dict[str, Any] = expand(copy.deepcopy(case["properties"]))
    for index in range(int(case.get("unknown_properties", 0))):
        result[f"Unknown{index}"] = "x"
    return result


def _parent(event: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    *parents, key = path.split(".")
    node = event
    for name in parents:
        node = node[name]
    return node, key
