"""`make demo` runs in the suite: its final state is asserted and the documented output is real."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from snapshot_schedule_cli.demo import WIDTH, DemoResult, run_demo

ROOT = Path(__file__).resolve().parents[2]
EXCERPT = re.compile(
    r"<!-- demo-output:start -->\n```text\n(?P<body>.*?)```\n<!-- demo-output:end -->", re.S
)
ELISION = "…"


@dataclass(frozen=True)
class DemoRun:
    result: DemoResult
    lines: list[str]
    logger_levels_changed: dict[str, tuple[int, int]]


def _logger_levels() -> dict[str, int]:
    loggers = logging.Logger.manager.loggerDict.items()
    levels = {name: logger.level for name, logger in loggers if isinstance(logger, logging.Logger)}
    return levels | {"": logging.getLogger().level}


@pytest.fixture(scope="module")
def demo_run() -> DemoRun:
    """One run of the demo, as `make demo` prints it when piped (120 columns, no colour)."""
    console = Console(record=True, width=WIDTH, file=io.StringIO(), highlight=False)
    before = _logger_levels()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
            patch.delenv(name, raising=False)
        result = run_demo(console)
    after = _logger_levels()

    lines = [line.rstrip() for line in console.export_text(styles=False).splitlines()]
    changed = {
        name: (before.get(name, logging.NOTSET), level)
        for name, level in after.items()
        if level != before.get(name, logging.NOTSET)
    }
    return DemoRun(result, lines, changed)


def test_demo_cleans_up_what_the_tool_owned_and_touches_nothing_else(demo_run: DemoRun) -> None:
    # given the demo's five steps have run

    # when its final checks are read
    checks = dict(demo_run.result.checks)

    # then every check held, and the output says so
    assert checks == {
        "the stack's scheduled action is gone": True,
        "the stack's copy configuration is gone": True,
        "the deleted namespace's schedule is gone": True,
        "the deleted namespace's copy configuration is gone": True,
        "the hand-made scheduled action is untouched": True,
        "the opted-out namespace got nothing": True,
        "the listener's schedules of live namespaces stay": True,
        "no snapshot was deleted by the tool": True,
    }
    assert demo_run.result.passed
    assert not any("FAILED" in line for line in demo_run.lines)


def test_demo_narrates_every_step_with_a_status_table(demo_run: DemoRun) -> None:
    # given the demo's output

    # when its headings and status tables are picked out
    headings = [line.split(" - ")[0] for line in demo_run.lines if line.startswith("Step ")]
    tables = [line for line in demo_run.lines if line.startswith("Status after step")]

    # then there are five steps, each followed by the status
    assert headings == ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5"]
    assert len(tables) == 5


def test_demo_leaves_the_logger_levels_as_it_found_them(demo_run: DemoRun) -> None:
    # given the handlers set their loggers' levels from LOG_LEVEL while the demo ran

    # when the levels are compared with those before the demo

    # then nothing changed, so tests and callers after the demo log as before
    assert demo_run.logger_levels_changed == {}


@pytest.mark.parametrize(("document", "least_lines"), [("docs/cli.md", 40), ("README.md", 20)])
def test_demo_output_in_the_docs_is_what_the_demo_prints(
    demo_run: DemoRun, document: str, least_lines: int
) -> None:
    # given the trimmed demo output documented in the document
    match = EXCERPT.search((ROOT / document).read_text())
    assert match is not None, f"{document} lacks the demo-output markers"
    documented = [line.rstrip() for line in match["body"].splitlines()]

    # when each documented line is looked for in the real output, in order
    missing = _missing_in_order(documented, demo_run.lines)

    # then every one is there (lines with "…" stand for what was trimmed)
    assert missing == []
    assert len([line for line in documented if line and line != ELISION]) >= least_lines


def _missing_in_order(documented: list[str], real: list[str]) -> list[str]:
    missing = []
    position = 0
    for line in documented:
        if not line or line == ELISION:
            continue
        try:
            position = real.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing
