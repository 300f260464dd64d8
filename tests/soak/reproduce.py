"""What a failed soak prints: the shortest sequence found that breaks the same invariant again,
and the command that reruns it. Shared by ``make soak`` and the CI soak."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.soak.harness import Faults, RunResult, run
from tests.soak.operations import Operation
from tests.soak.shrink import shrink


@dataclass(frozen=True)
class Reproduction:
    """A sequence that breaks the invariant again, how it was found, and whether the time limit
    stopped the shrinking before the sequence was minimal."""

    operations: list[Operation]
    how: str
    cut_short: bool

    def lines(self, *, seconds: float, rerun: str) -> list[str]:
        """The sequence as printed, one operation a line, with what to do if it is not minimal."""
        lines = [f"shortest sequence found ({len(self.operations)} operations, {self.how}):"]
        lines += [f"  {operation}" for operation in self.operations]
        if self.cut_short:
            lines.append(
                f"shrinking stopped after {seconds:.0f} s; for a shorter sequence: {rerun}"
            )
        return lines


def rerun_command(seed: int, operations: int, faults: str = "full") -> str:
    """The command that reruns a soak (``faults``: full or off) and shrinks its failure
    with the full time limit."""
    if faults == "full":
        return f"make soak SEED={seed} OPERATIONS={operations}"
    return f"python -m tests.soak --seed {seed} --operations {operations} --faults {faults}"


def shortest_reproduction(
    operations: list[Operation],
    result: RunResult,
    *,
    seed: int,
    faults: Faults,
    seconds: float,
    handler: Callable[[dict[str, Any], Any], Any] | None = None,
) -> Reproduction:
    """The shortest sequence found within ``seconds`` that breaks the same invariant again: the
    prefix up to the failure, then delta debugging, without faults if that reproduces it
    (faster and steadier), else with the run's faults. ``handler`` is the run's custom resource
    handler, if it was not the product's."""
    invariant = result.violations[0].invariant
    failed_at = result.violations[0].index
    prefix = operations if failed_at < 0 else operations[: failed_at + 1]
    deadline = time.monotonic() + seconds
    cut_short = False

    def fails_with(profile: Faults) -> Callable[[list[Operation]], bool]:
        def fails(candidate: list[Operation]) -> bool:
            nonlocal cut_short
            if time.monotonic() >= deadline:
                cut_short = True
                return False
            again = run(candidate, seed=seed, faults=profile, handler=handler)
            return any(violation.invariant == invariant for violation in again.violations)

        return fails

    for profile, how in ((Faults.off(), "without faults"), (faults, "with the run's faults")):
        fails = fails_with(profile)
        if fails(prefix):
            return Reproduction(shrink(prefix, fails), how, cut_short)
        if cut_short:
            break
    if cut_short:
        return Reproduction(prefix, "the prefix up to the failure, not replayed in time", True)
    return Reproduction(prefix, "the prefix up to the failure, which did not fail again", False)
