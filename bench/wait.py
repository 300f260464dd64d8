"""Figure 5: how long a namespace that becomes AVAILABLE late stays unprotected, and how many
GetNamespace calls the wait costs, in simulated time.

The emulator's clock is frozen; each namespace is held MODIFYING for a random number of emulated
seconds, and every policy's ``sleep`` advances that clock instead of sleeping, so minutes of
waiting take milliseconds. "Protected" is the emulated moment the policy's wait returns and
its schedule is created (creating takes no emulated time). Policies:

- the listener: ``wait_until_available`` with the listener's configured attempts and interval,
  then ``ensure_schedule`` (what ``cover_new_namespace`` does);
- the custom resource: ``wait_until_available`` at the handler's default wait interval;
- the old tool (baseline): a fixed 30 s poll, up to 20 checks.
"""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bench.baseline import wait_then_schedule
from bench.harness import (
    DESTINATION_REGION,
    REGION,
    SCHEDULER_ROLE_ARN,
    CallCount,
    Stats,
    emulated_world,
    emulator_client,
    use_function_environment,
)
from custom_resource.errors import NamespaceNotReady
from moto_redshift_serverless import RedshiftServerlessBackend, call_log, clock

NAMESPACE_PREFIX = "late-namespace"
MAX_DELAY_SECONDS = 300.0
SEED = 8


@dataclass
class WaitFigure:
    """One policy over every sampled delay."""

    policy: str
    description: str
    unprotected: list[float] = field(default_factory=list)
    get_namespace_calls: list[int] = field(default_factory=list)
    protected: int = 0

    @property
    def unprotected_stats(self) -> Stats:
        return Stats.of(self.unprotected)

    @property
    def calls_stats(self) -> Stats:
        return Stats.of([float(calls) for calls in self.get_namespace_calls])


# A policy gets the namespace's name, a sleep and a clock; it answers whether it protected it.
Policy = Callable[[str, Callable[[float], None], Callable[[], float]], bool]


def delays(samples: int, seed: int) -> list[float]:
    """Seconds after creation at which each sampled namespace becomes AVAILABLE."""
    # Reproducible samples for a benchmark, not cryptography.
    generator = random.Random(seed)  # noqa: S311
    return [round(generator.uniform(0.0, MAX_DELAY_SECONDS), 3) for _ in range(samples)]


def measure(samples: int, seed: int = SEED) -> list[WaitFigure]:
    """Run every policy once per sampled delay."""
    from custom_resource.aws import redshift_serverless_client
    from custom_resource.handler import DEFAULT_WAIT_INTERVAL_SECONDS
    from custom_resource.reconcile import ensure_schedule, wait_until_available
    from custom_resource.spec import Owner, build_spec
    from event_listener.config import ListenerConfig

    use_function_environment()
    os.environ.pop("WAIT_INTERVAL_SECONDS", None)
    os.environ.pop("WAIT_ATTEMPTS", None)
    config = ListenerConfig.from_environ(os.environ)

    def product(attempts: int, interval: float) -> Policy:
        # One client per policy, as a warm function keeps it; building one is not waiting.
        client_of = functools.cache(lambda: redshift_serverless_client(REGION))

        def policy(name: str, sleep: Callable[[float], None], clock: Callable[[], float]) -> bool:
            client = client_of()
            wait_until_available(
                client, name, attempts=attempts, interval=interval, sleep=sleep, clock=clock
            )
            ensure_schedule(client, build_spec(name, config.defaults, Owner.listener()))
            return True

        return policy

    baseline_client = functools.cache(emulator_client)

    def baseline(name: str, sleep: Callable[[float], None], _: Callable[[], float]) -> bool:
        return wait_then_schedule(
            baseline_client(),
            name,
            role_arn=SCHEDULER_ROLE_ARN,
            destination_region=DESTINATION_REGION,
            sleep=sleep,
        )

    policies: list[tuple[WaitFigure, Policy]] = [
        (
            WaitFigure(
                "listener",
                f"{config.wait_attempts} checks, {config.wait_interval_seconds:g} s apart",
            ),
            product(config.wait_attempts, config.wait_interval_seconds),
        ),
        (
            WaitFigure(
                "custom resource",
                f"checks {DEFAULT_WAIT_INTERVAL_SECONDS:g} s apart within the invocation",
            ),
            product(1000, DEFAULT_WAIT_INTERVAL_SECONDS),
        ),
        (WaitFigure("old tool (baseline)", "20 checks, 30 s apart"), baseline),
    ]

    # One world per policy: each sample gets a namespace of its own, the clock only moves on.
    for figure, policy in policies:
        with emulated_world() as backend:
            clock.freeze()
            for index, delay in enumerate(delays(samples, seed)):
                _run_once(backend, figure, policy, f"{NAMESPACE_PREFIX}-{index:03d}", delay)
    return [figure for figure, _ in policies]


def _run_once(
    backend: RedshiftServerlessBackend, figure: WaitFigure, policy: Policy, name: str, delay: float
) -> None:
    started: datetime = clock.now()
    backend.create_namespace({"namespaceName": name})
    backend.set_namespace_status(name, "MODIFYING", seconds=delay)
    call_log.clear()

    def sleep(seconds: float) -> None:
        clock.advance(seconds)

    def elapsed() -> float:
        return (clock.now() - started).total_seconds()

    try:
        protected = policy(name, sleep, elapsed)
    except NamespaceNotReady:
        protected = False

    if protected:
        figure.protected += 1
        figure.unprotected.append(elapsed() - delay)
    figure.get_namespace_calls.append(CallCount.from_log().served["GetNamespace"])
