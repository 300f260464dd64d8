"""The benchmark plan (what to run, how often) and the run that fills the report's Results."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bench import cold_start, custom_resource, sweep, wait
from bench.harness import REALISTIC, Profile
from bench.report import Results


@dataclass(frozen=True)
class Plan:
    """What to run and how often."""

    sizes: tuple[tuple[int, int], ...]  # (namespaces, repetitions)
    custom_resource_repetitions: int
    cold_start_repetitions: int
    wait_samples: int
    profile: Profile


FULL = Plan(
    sizes=((25, 5), (100, 3), (1000, 3)),
    custom_resource_repetitions=5,
    cold_start_repetitions=7,
    wait_samples=25,
    profile=REALISTIC,
)
# A minute's check that everything runs; its timings mean little.
QUICK = Plan(
    sizes=((10, 1), (100, 1)),
    custom_resource_repetitions=1,
    cold_start_repetitions=1,
    wait_samples=3,
    profile=Profile(latency=0.002, rate_limit=200.0),
)


def run(plan: Plan, *, progress: bool = True) -> Results:
    """Run every benchmark of ``plan`` and return the measurements."""
    say = _printer(progress)
    started = time.perf_counter()
    results = Results(
        profile=plan.profile,
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        seconds=0.0,
        machine=_machine(),
        wait_samples=plan.wait_samples,
    )

    for namespaces, repetitions in plan.sizes:
        say(f"sweep: N={namespaces}, {repetitions} repetition(s), product and baseline")
        results.sweeps.append(sweep.measure(namespaces, repetitions, plan.profile))

    say(f"custom resource: {plan.custom_resource_repetitions} repetition(s)")
    results.custom_resource = custom_resource.measure(
        plan.custom_resource_repetitions, plan.profile
    )

    say(f"cold start: {plan.cold_start_repetitions} fresh interpreter(s) per module")
    results.cold_start = cold_start.measure(plan.cold_start_repetitions)

    say(f"wait: {plan.wait_samples} late namespace(s) per policy, simulated time")
    results.waits = wait.measure(plan.wait_samples)

    results.seconds = time.perf_counter() - started
    results.machine = _machine()
    return results


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the end"
    )


def _printer(enabled: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if enabled:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    return say
