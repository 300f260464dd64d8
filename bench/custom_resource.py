"""Figure 3: what one Custom::ServerlessSnapshotSchedule request costs, through the handler.

Each repetition is a fresh world with one AVAILABLE namespace. A local CloudFormation (the test
suite's driver: real-shaped requests, responses PUT over HTTPS to a loopback server) sends
Create, an in-place Update (RetentionPeriod 7 -> 14) and Delete to the product's handler with
the fault profile on. The wall time is from sending the request to receiving its response.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.harness import (
    CallCount,
    Profile,
    Stats,
    Stopwatch,
    emulated_world,
    use_function_environment,
    warm_up,
)
from moto_redshift_serverless import call_log
from tests.support.cfn_driver import CloudFormationDriver, Stack, StackOperation

CRHELPER_DEFAULT_SLEEP_ON_DELETE = 120.0
OPERATIONS = ("Create", "Update", "Delete")
NAMESPACE = "orders"


@dataclass
class RequestFigure:
    """Every repetition of one request type."""

    request_type: str
    seconds: list[float] = field(default_factory=list)
    calls: list[Counter[str]] = field(default_factory=list)
    throttled: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    @property
    def time(self) -> Stats:
        return Stats.of(self.seconds)

    @property
    def call_total(self) -> Stats:
        return Stats.of([float(sum(calls.values())) for calls in self.calls])

    def typical_calls(self) -> Counter[str]:
        """The calls of the repetition whose total is the median (they rarely differ)."""
        ordered = sorted(self.calls, key=lambda calls: sum(calls.values()))
        return ordered[len(ordered) // 2]


def measure(repetitions: int, profile: Profile) -> dict[str, RequestFigure]:
    """``repetitions`` of Create, Update in place and Delete, each on a fresh world."""
    warm_up()
    use_function_environment()
    os.environ["WAIT_INTERVAL_SECONDS"] = "10"
    figures = {request_type: RequestFigure(request_type) for request_type in OPERATIONS}
    properties = {"NamespaceName": NAMESPACE, "RetentionPeriod": 7}

    for _ in range(repetitions):
        with emulated_world() as backend, CloudFormationDriver(timeout_seconds=300.0) as driver:
            backend.create_namespace({"namespaceName": NAMESPACE})
            stack = Stack(driver, "orders-stack")
            profile.apply()

            for request_type in OPERATIONS:
                call_log.clear()
                with Stopwatch() as watch:
                    operation = _send(stack, request_type, properties)
                calls = CallCount.from_log()
                figure = figures[request_type]
                figure.seconds.append(watch.seconds)
                figure.calls.append(calls.served)
                figure.throttled.append(calls.total_throttled)
                figure.statuses.append(operation.status)
    return figures


def _send(stack: Stack, request_type: str, properties: dict[str, Any]) -> StackOperation:
    if request_type == "Create":
        return stack.create("Schedule", properties)
    if request_type == "Update":
        return stack.update("Schedule", {**properties, "RetentionPeriod": 14})
    return stack.delete("Schedule")
