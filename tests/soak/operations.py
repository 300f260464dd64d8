"""The soak's operations: plain data drawn from a seed, so any subsequence can be replayed.

Every operation is tolerant of the state it meets (an update of a stack that holds no resource,
the deletion of a namespace that does not exist): it is skipped. That is what lets the shrinker
drop operations freely and still replay a meaningful sequence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

# Namespaces the soak creates and deletes; a few are foreign-owned and never touched by it.
CHURN_NAMESPACES = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
FOREIGN_NAMESPACES = ("legacy-warehouse", "manual-reports")
STACKS = ("orders-stack", "billing-stack", "ledger-stack")
LOGICAL_ID = "Schedule"

RETENTIONS = ("", "1", "7", "14", "-1")
SCHEDULES = ("", "0 3 * * ? *", "cron(0 6,18 * * ? *)", "(30 1 ? * MON-FRI *)")
DESTINATIONS = ("", "none", "eu-central-1", "us-east-2")

OPERATION_KINDS = (
    "create_namespace",
    "delete_namespace",
    "deliver_event",
    "stack_create",
    "stack_update",
    "stack_update_rolled_back",
    "stack_delete",
    "sweep",
    "race",
    "slow_namespace",
)
# Relative frequencies of the kinds above.
WEIGHTS = (14, 8, 22, 12, 12, 5, 8, 6, 6, 7)


@dataclass(frozen=True)
class Operation:
    """One step of a soak: what to do, to which namespace and stack, with what properties."""

    kind: str
    namespace: str = ""
    stack: str = ""
    properties: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    pick: int = 0
    duplicate: bool = False
    reads: int = 0

    def properties_dict(self) -> dict[str, Any]:
        return {"NamespaceName": self.namespace, **dict(self.properties)}

    def __str__(self) -> str:
        parts = [self.kind]
        if self.namespace:
            parts.append(f"namespace={self.namespace}")
        if self.stack:
            parts.append(f"stack={self.stack}")
        if self.properties:
            parts.append("properties=" + ",".join(f"{k}={v}" for k, v in self.properties))
        if self.tags:
            parts.append("tags=" + ",".join(f"{k}={v}" for k, v in self.tags))
        if self.kind == "deliver_event":
            parts.append(f"pick={self.pick} duplicate={self.duplicate}")
        if self.reads:
            parts.append(f"reads={self.reads}")
        return " ".join(parts)


@dataclass
class _Draw:
    rng: random.Random
    operations: list[Operation] = field(default_factory=list)

    def properties(self) -> tuple[tuple[str, str], ...]:
        chosen: list[tuple[str, str]] = []
        for name, values in (
            ("RetentionPeriod", RETENTIONS),
            ("Schedule", SCHEDULES),
            ("DestinationRegion", DESTINATIONS),
        ):
            value = self.rng.choice(values)
            if value:
                chosen.append((name, value))
        return tuple(chosen)

    def tags(self) -> tuple[tuple[str, str], ...]:
        roll = self.rng.random()
        if roll < 0.1:
            return (("snapshot-schedule", "off"),)
        if roll < 0.2:
            return (("snapshot-schedule:retention-period", "14"),)
        if roll < 0.25:
            return (("snapshot-schedule:retention-period", "fortnight"),)
        return ()


def generate(seed: int, count: int) -> list[Operation]:
    """``count`` operations drawn from ``seed``; the same seed always gives the same list."""
    # Reproducible test data, not cryptography.
    draw = _Draw(random.Random(seed))
    rng = draw.rng
    for _ in range(count):
        kind = rng.choices(OPERATION_KINDS, WEIGHTS)[0]
        namespace = rng.choice(CHURN_NAMESPACES)
        stack = rng.choice(STACKS)
        if kind == "create_namespace":
            operation = Operation(kind, namespace=namespace, tags=draw.tags())
        elif kind in ("stack_create", "stack_update", "stack_update_rolled_back", "race"):
            operation = Operation(
                kind, namespace=namespace, stack=stack, properties=draw.properties()
            )
        elif kind == "stack_delete":
            operation = Operation(kind, stack=stack)
        elif kind == "deliver_event":
            operation = Operation(kind, pick=rng.randrange(8), duplicate=rng.random() < 0.2)
        elif kind == "slow_namespace":
            operation = Operation(
                kind, namespace=namespace, stack=stack, properties=draw.properties(), reads=3
            )
        elif kind == "delete_namespace":
            operation = Operation(kind, namespace=namespace)
        else:
            operation = Operation(kind)
        draw.operations.append(operation)
    return draw.operations
