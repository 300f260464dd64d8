"""Replaying a race deterministically: another writer acts at exactly the moment that matters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from moto_redshift_serverless import RedshiftServerlessBackend


def interleave(
    emulator: RedshiftServerlessBackend,
    monkeypatch: pytest.MonkeyPatch,
    other_writer: Callable[[], None],
    *,
    before: str = "list_snapshot_copy_configurations",
    times: int = 1,
) -> None:
    """Run ``other_writer`` just before the emulator serves each of the first ``times`` calls of
    its backend method ``before`` (by default: listing copy configurations)."""
    backend_type = type(emulator)
    original = getattr(backend_type, before)
    runs: list[bool] = []

    def serve(backend: RedshiftServerlessBackend, *args: Any) -> Any:
        if len(runs) < times:
            runs.append(True)
            other_writer()
        return original(backend, *args)

    monkeypatch.setattr(backend_type, before, serve)
