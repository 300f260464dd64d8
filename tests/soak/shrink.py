"""Delta debugging: the shortest operation list found that still breaks the same invariant."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def shrink(
    items: Sequence[Item], fails: Callable[[list[Item]], bool], *, budget: int = 200
) -> list[Item]:
    """A 1-minimal sublist of ``items`` for which ``fails`` holds (ddmin), within ``budget``
    calls of ``fails``. ``fails(list(items))`` is assumed true; with a flaky ``fails`` the
    result still fails at least once, it is just not guaranteed minimal."""
    current = list(items)
    chunks = 2
    calls = 0
    while len(current) >= 2 and calls < budget:
        size = -(-len(current) // chunks)
        pieces = [current[start : start + size] for start in range(0, len(current), size)]
        reduced = False

        for index in range(len(pieces)):
            if calls >= budget:
                break
            complement = [item for j, piece in enumerate(pieces) if j != index for item in piece]
            calls += 1
            if complement and fails(complement):
                current = complement
                chunks = max(chunks - 1, 2)
                reduced = True
                break

        if not reduced:
            if chunks >= len(current):
                break
            chunks = min(chunks * 2, len(current))
    return current
