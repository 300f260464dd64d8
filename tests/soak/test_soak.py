"""The soak in CI: a few hundred seeded operations under faults, and checks of the checks."""

from __future__ import annotations

import os
from typing import Any

import boto3

from custom_resource.handler import handler as product_handler
from tests.soak.harness import REGION, Faults, RunResult, run
from tests.soak.operations import Operation, generate
from tests.soak.reproduce import rerun_command, shortest_reproduction
from tests.soak.shrink import shrink

CI_SEED = 20261203
CI_OPERATIONS = 200
# A failure is shrunk for at most this long; `python -m tests.soak` reruns it with a longer one.
CI_SHRINK_SECONDS = 60.0

LIFECYCLE = [
    Operation("create_namespace", namespace="alpha"),
    Operation("deliver_event"),
    Operation("stack_create", namespace="alpha", stack="orders-stack"),
    Operation("stack_delete", stack="orders-stack"),
]


def test_soak_keeps_every_invariant_under_faults() -> None:
    # given
    seed = int(os.environ.get("SOAK_SEED", CI_SEED))
    operations = generate(seed, CI_OPERATIONS)

    # when
    result = run(operations, seed=seed, faults=Faults(), concurrent_races=True)

    # then
    assert result.passed, failure_report(seed, operations, result)
    assert result.operations_applied == CI_OPERATIONS
    assert result.outcomes["stack_create:CREATE_COMPLETE"] > 0
    assert result.outcomes["sweep:ok"] > 0


def meddling(event: dict[str, Any], context: Any) -> None:
    """The product's handler, then an edit of a hand-made scheduled action."""
    product_handler(event, context)
    boto3.client("redshift-serverless", region_name=REGION).update_scheduled_action(
        scheduledActionName="nightly-legacy-warehouse", enabled=False
    )


def test_soak_reports_a_foreign_object_the_handler_changed() -> None:
    # given a handler that, after doing its job, edits a hand-made scheduled action
    # when
    result = run(LIFECYCLE, seed=1, faults=Faults.off(), handler=meddling)

    # then
    assert [violation.invariant for violation in result.violations] == ["foreign"]
    assert result.violations[0].index == 2


def test_soak_reports_a_request_left_without_response() -> None:
    # given a handler that crashes before crhelper can answer
    def crashing(event: dict[str, Any], context: Any) -> None:
        raise RuntimeError("boom")

    # when
    result = run(LIFECYCLE, seed=1, faults=Faults.off(), handler=crashing)

    # then
    invariants = {violation.invariant for violation in result.violations}
    assert invariants == {"unhandled", "one-response"}
    assert all(violation.index == 2 for violation in result.violations)


def test_soak_reports_a_schedule_that_outlives_its_stack() -> None:
    # given a handler that answers Delete without deleting anything
    def forgetful(event: dict[str, Any], context: Any) -> None:
        if event["RequestType"] == "Delete":
            event = {**event, "PhysicalResourceId": "not-a-scheduled-action-name!"}
        product_handler(event, context)

    # when
    result = run(LIFECYCLE, seed=1, faults=Faults.off(), handler=forgetful)

    # then
    assert [violation.invariant for violation in result.violations] == ["survives-stack"]
    assert "snapshot-alpha" in result.violations[0].detail


def test_shortest_reproduction_keeps_only_the_operation_that_breaks_the_invariant() -> None:
    # given a run that a meddling handler broke at its stack's Create
    operations = [Operation("create_namespace", namespace="bravo"), Operation("sweep"), *LIFECYCLE]
    result = run(operations, seed=1, faults=Faults.off(), handler=meddling)

    # when
    reproduction = shortest_reproduction(
        operations, result, seed=1, faults=Faults.off(), seconds=600.0, handler=meddling
    )

    # then
    assert reproduction.operations == [LIFECYCLE[2]]
    assert reproduction.how == "without faults"
    assert not reproduction.cut_short


def test_shortest_reproduction_out_of_time_names_the_command_that_shrinks_further() -> None:
    # given
    operations = [*LIFECYCLE, Operation("sweep")]
    result = run(operations, seed=1, faults=Faults.off(), handler=meddling)

    # when
    reproduction = shortest_reproduction(
        operations, result, seed=1, faults=Faults.off(), seconds=0.0, handler=meddling
    )
    lines = reproduction.lines(seconds=0.0, rerun=rerun_command(1, len(operations)))

    # then
    assert reproduction.operations == LIFECYCLE[:3]
    assert reproduction.cut_short
    assert lines[-1] == (
        "shrinking stopped after 0 s; for a shorter sequence: make soak SEED=1 OPERATIONS=5"
    )


def test_shrink_finds_the_two_operations_that_matter() -> None:
    # given
    def fails(candidate: list[int]) -> bool:
        return 3 in candidate and 17 in candidate

    # when
    shortest = shrink(list(range(40)), fails)

    # then
    assert shortest == [3, 17]


def test_generate_is_reproducible_from_its_seed() -> None:
    # when
    first, second, other = generate(7, 50), generate(7, 50), generate(8, 50)

    # then
    assert first == second
    assert first != other


def failure_report(seed: int, operations: list[Operation], result: RunResult) -> str:
    """The seed, the broken invariants and the shortest sequence found that breaks the first
    one again, shrunk within CI_SHRINK_SECONDS."""
    rerun = rerun_command(seed, len(operations))
    reproduction = shortest_reproduction(
        operations, result, seed=seed, faults=Faults(), seconds=CI_SHRINK_SECONDS
    )
    lines = [f"seed={seed}: " + "; ".join(str(violation) for violation in result.violations)]
    lines += reproduction.lines(seconds=CI_SHRINK_SECONDS, rerun=rerun)
    lines.append(f"re-run with: {rerun}")
    return "\n".join(lines)
