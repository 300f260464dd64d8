"""The long soak: ``python -m tests.soak [--seed N] [--operations N] [--faults full|off]``.

Prints the seed first, so any run can be repeated exactly; on a broken invariant prints it, then
shrinks the operation list to the shortest sequence that still breaks it, and exits 1.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time

from tests.soak.harness import Faults, RunResult, run
from tests.soak.operations import generate
from tests.soak.reproduce import rerun_command, shortest_reproduction


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed")
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--faults", choices=("full", "off"), default="full")
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument(
        "--keep-going", action="store_true", help="run every operation and list every violation"
    )
    parser.add_argument("--shrink-minutes", type=float, default=15.0)
    options = parser.parse_args(argv)

    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    faults = {"full": Faults(), "off": Faults.off()}[options.faults]
    print(f"soak: seed={seed} operations={options.operations} faults={faults}", flush=True)

    operations = generate(seed, options.operations)
    started = time.monotonic()
    result = run(
        operations,
        seed=seed,
        faults=faults,
        progress=report_progress,
        stop_at_first=not options.keep_going,
    )
    print(summary(result, time.monotonic() - started))
    if result.passed:
        print(f"soak: PASSED (seed={seed})")
        return 0

    print(f"soak: FAILED (seed={seed}): {result.violations[0]}")
    first_of_each: dict[str, str] = {}
    for violation in result.violations:
        first_of_each.setdefault(violation.invariant, str(violation))
    if len(result.violations) > 1:
        print(f"soak: {len(result.violations)} violations; the first of each invariant:")
        for text in first_of_each.values():
            print(f"  {text}")
    rerun = rerun_command(seed, options.operations, options.faults)
    if not options.no_shrink:
        seconds = options.shrink_minutes * 60
        reproduction = shortest_reproduction(
            operations, result, seed=seed, faults=faults, seconds=seconds
        )
        longer = (
            f"python -m tests.soak --seed {seed} --operations {options.operations} "
            f"--shrink-minutes {options.shrink_minutes * 4:g}"
        )
        for line in reproduction.lines(seconds=seconds, rerun=longer):
            # The operations are indented; the other lines carry the soak's prefix.
            print(line if line.startswith(" ") else f"soak: {line}")
    print(f"soak: re-run with: {rerun}")
    return 1


def report_progress(done: int, result: RunResult) -> None:
    if done % 100 == 0:
        print(f"soak: {done} operations, {len(result.violations)} violation(s)", flush=True)


def summary(result: RunResult, seconds: float) -> str:
    calls = result.calls["calls"] or 1
    throttled = result.calls["ThrottlingException"] / calls
    internal = result.calls["InternalServerException"] / calls
    lines = [
        f"soak: {result.operations_applied} operations in {seconds:.1f} s, "
        f"{result.calls['calls']} Redshift Serverless calls "
        f"({throttled:.1%} throttled, {internal:.1%} internal errors)",
    ]
    lines += [f"  {name}: {count}" for name, count in sorted(result.outcomes.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
