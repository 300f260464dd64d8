"""Figures 1 and 2: what a sweep costs in calls and in time, against the bound, the rate floor
and the old tool's backfill, for N namespaces of which half lack a schedule.

The product's sweep runs exactly as the listener's handler runs it for ``{}``: configuration from
the environment, the product's client factory, ``event_listener.sweep.sweep`` with the configured
concurrency and a Lambda deadline of 900 s. Each repetition starts from a fresh world; the
product and the baseline run back to back inside one repetition, so their ratio is paired.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.baseline import backfill
from bench.harness import (
    DESTINATION_REGION,
    REGION,
    SCHEDULER_ROLE_ARN,
    CallCount,
    Profile,
    Stopwatch,
    emulated_world,
    emulator_client,
    populate,
    uncovered_after,
    use_function_environment,
    warm_up,
)

PAGE_SIZE = 100
LAMBDA_TIMEOUT_SECONDS = 900.0

LIST_OPERATIONS = ("ListNamespaces", "ListScheduledActions", "ListSnapshotCopyConfigurations")
WRITE_OPERATIONS = ("CreateScheduledAction", "CreateSnapshotCopyConfiguration")
NEEDED_READS = ("ListWorkgroups", "ListTagsForResource")


def pages(items: int) -> int:
    """List calls needed to read ``items`` at the largest page size (an empty list is 1)."""
    return max(1, math.ceil(items / PAGE_SIZE))


@dataclass(frozen=True)
class Bound:
    """The fewest calls a sweep can make, by operation.

    ``strict``: list pages of namespaces, scheduled actions and copy configurations, plus one
    write per missing object. ``needed``: also the reads the product's features require and no
    list answers: ListWorkgroups pages (to flag namespaces without a workgroup) and one
    ListTagsForResource per namespace about to be written (the opt-out tag and overrides; the
    Redshift Serverless API has no account-wide tag read).
    """

    strict: Counter[str]
    needed: Counter[str]

    @classmethod
    def for_population(cls, namespaces: int, uncovered: int) -> Bound:
        covered = namespaces - uncovered
        strict = Counter(
            {
                "ListNamespaces": pages(namespaces),
                "ListScheduledActions": pages(covered),
                "ListSnapshotCopyConfigurations": pages(covered),
                "CreateScheduledAction": uncovered,
                "CreateSnapshotCopyConfiguration": uncovered,
            }
        )
        needed = strict + Counter(
            {"ListWorkgroups": pages(namespaces), "ListTagsForResource": uncovered}
        )
        return cls(strict, needed)


@dataclass
class SweepRun:
    """One measured sweep (product or baseline)."""

    seconds: float
    calls: CallCount
    left_uncovered: int
    seen: int | None = None


@dataclass
class SweepPair:
    """The product's sweep and the baseline's backfill on the same starting world."""

    namespaces: int
    uncovered: int
    product: SweepRun
    baseline: SweepRun | None


@dataclass
class SweepFigure:
    """Every repetition for one N."""

    namespaces: int
    uncovered: int
    bound: Bound
    concurrency: int
    runs: list[SweepPair] = field(default_factory=list)


def run_product_sweep(namespaces: int, profile: Profile) -> SweepRun:
    """One sweep by the product over a fresh world of ``namespaces``."""
    from custom_resource.aws import redshift_serverless_client
    from event_listener.config import ListenerConfig
    from event_listener.sweep import sweep

    use_function_environment()
    with emulated_world() as backend:
        population = populate(backend, namespaces)
        config = ListenerConfig.from_environ(os.environ)
        client = redshift_serverless_client(REGION)
        profile.apply()

        with Stopwatch() as watch:
            sweep(
                client,
                config.defaults,
                config.sweep,
                opt_out_tag=config.opt_out_tag,
                concurrency=config.sweep_concurrency,
                deadline=time.monotonic() + LAMBDA_TIMEOUT_SECONDS - config.deadline_margin_seconds,
            )

        return SweepRun(
            watch.seconds, CallCount.from_log(), len(uncovered_after(backend, population))
        )


def run_baseline_backfill(namespaces: int, profile: Profile) -> SweepRun:
    """One backfill by the old tool's algorithm over a fresh world of ``namespaces``."""
    with emulated_world() as backend:
        population = populate(backend, namespaces)
        client = emulator_client()
        profile.apply()

        with Stopwatch() as watch:
            result = backfill(
                client, role_arn=SCHEDULER_ROLE_ARN, destination_region=DESTINATION_REGION
            )

        return SweepRun(
            watch.seconds,
            CallCount.from_log(),
            len(uncovered_after(backend, population)),
            seen=result.seen,
        )


def measure(
    namespaces: int, repetitions: int, profile: Profile, *, with_baseline: bool = True
) -> SweepFigure:
    """``repetitions`` paired runs (product, then baseline) for one N."""
    from event_listener.config import ListenerConfig

    warm_up()
    use_function_environment()
    concurrency = ListenerConfig.from_environ(os.environ).sweep_concurrency
    uncovered = namespaces // 2
    figure = SweepFigure(
        namespaces, uncovered, Bound.for_population(namespaces, uncovered), concurrency
    )
    for _ in range(repetitions):
        product = run_product_sweep(namespaces, profile)
        baseline = run_baseline_backfill(namespaces, profile) if with_baseline else None
        figure.runs.append(SweepPair(namespaces, uncovered, product, baseline))
    return figure
