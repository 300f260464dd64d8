"""python -m bench [--quick] [--output bench/REPORT.md]: run every benchmark, write the report.

Prints the report when done. Never fails on a timing: the exit status is non-zero only when a
benchmark could not run at all.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bench.report import render
from bench.runner import FULL, QUICK, run

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "REPORT.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, one repetition, a faster profile"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="report path (default %(default)s)"
    )
    arguments = parser.parse_args(argv)

    # The product logs every write at INFO; a benchmark makes thousands of them. The filter
    # sits on the handler because crhelper resets the root logger's level on every request.
    logging.basicConfig(level=logging.ERROR)
    for handler in logging.root.handlers:
        handler.setLevel(logging.ERROR)
    results = run(QUICK if arguments.quick else FULL)
    report = render(results)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(report, encoding="utf-8")
    print(report)
    print(f"Report written to {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
