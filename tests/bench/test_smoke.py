"""A fast run of every benchmark at tiny sizes: the report is written and its figures agree
with each other and with the lower bound. Timings are never asserted."""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import wait
from bench.harness import Profile
from bench.report import CUSTOM_RESOURCE_BOUND, Results, render
from bench.runner import Plan, run
from bench.sweep import LIST_OPERATIONS, WRITE_OPERATIONS

# 100 namespaces exercise the speed-up target's verdict; at 104 the old tool's single list
# stops at 100, so it must miss the uncovered namespaces 101 and 103.
TINY = Plan(
    sizes=((100, 1), (104, 1)),
    custom_resource_repetitions=1,
    cold_start_repetitions=1,
    wait_samples=2,
    profile=Profile(latency=0.0, rate_limit=1000.0),
)


@pytest.fixture(scope="module")
def results() -> Iterator[Results]:
    # The benchmarks set the functions' environment and crhelper sets the root logger's level,
    # as they would in their own process: give the rest of the session back what it had.
    environment = dict(os.environ)
    root_level = logging.root.level
    # Four workers with no injected latency: the harshest interleaving for the emulator.
    os.environ["SWEEP_CONCURRENCY"] = "4"
    try:
        yield run(TINY, progress=False)
    finally:
        os.environ.clear()
        os.environ.update(environment)
        logging.root.setLevel(root_level)


@pytest.fixture(scope="module")
def report(results: Results, tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("bench") / "REPORT.md"
    path.write_text(render(results), encoding="utf-8")
    return path.read_text(encoding="utf-8")


def test_report_has_every_figure(report: str) -> None:
    # given a tiny run of every benchmark

    # when its report is rendered
    headings = re.findall(r"^## (\d)\.", report, flags=re.MULTILINE)

    # then the five figures are there, in order, and no value is missing
    assert headings == ["1", "2", "3", "4", "5"]
    assert not re.search(r"\bnan\b", report)


def test_sweep_lists_and_writes_equal_the_lower_bound(results: Results) -> None:
    # given the measured sweeps
    exact = ("ListNamespaces", "ListScheduledActions", *WRITE_OPERATIONS)
    for figure in results.sweeps:
        (pair,) = figure.runs
        served = pair.product.calls.served

        # when their account-wide lists and writes are compared with the strict bound
        measured = {operation: served[operation] for operation in exact}
        bound = {operation: figure.bound.strict[operation] for operation in exact}

        # then they match it exactly (calls above the bound are reported, not asserted),
        # nothing was throttled at this rate and nothing is left uncovered
        assert measured == bound, figure.namespaces
        for operation in LIST_OPERATIONS:
            assert served[operation] >= figure.bound.strict[operation], operation
        assert pair.product.calls.total_throttled == 0
        assert pair.product.left_uncovered == 0


def test_sweep_bound_counts_pages_and_writes() -> None:
    # given 1000 namespaces of which 500 lack a schedule
    from bench.sweep import Bound

    # when the bound is computed
    bound = Bound.for_population(1000, 500)

    # then it is 10 + 5 + 5 list pages and 2 writes per uncovered namespace, plus 10 workgroup
    # pages and 500 tag reads in the needed bound
    assert sum(bound.strict.values()) == 10 + 5 + 5 + 1000
    assert bound.needed - bound.strict == {"ListWorkgroups": 10, "ListTagsForResource": 500}


def test_baseline_misses_namespaces_beyond_its_first_page(results: Results) -> None:
    # given the baseline's runs
    small, large = (figure.runs[0].baseline for figure in results.sweeps)

    # when their coverage is read
    assert small is not None
    assert large is not None

    # then it covers everything it saw, and misses the uncovered namespaces past 100
    assert small.left_uncovered == 0
    assert large.seen == 100
    assert large.left_uncovered == 2


def test_sweep_report_totals_match_the_measurements(results: Results, report: str) -> None:
    # given the largest sweep
    figure = results.sweeps[-1]
    total = figure.runs[0].product.calls.total_served
    strict = sum(figure.bound.strict.values())

    # when the report's total row is read
    row = f"| **total** | **{total}** | **{strict}** |"

    # then it carries the measured total and the bound
    assert row in report


def test_custom_resource_calls_equal_the_bound(results: Results) -> None:
    # given one Create, Update and Delete
    figures = results.custom_resource

    # when their call totals are read
    totals = {name: figure.call_total.median for name, figure in figures.items()}

    # then each made exactly the fewest calls its checks allow
    assert totals == CUSTOM_RESOURCE_BOUND


def test_custom_resource_requests_complete_with_one_write_each(results: Results) -> None:
    # given one Create, Update and Delete
    figures = results.custom_resource

    # when their calls are read
    create, update, delete = (figures[name].calls[0] for name in ("Create", "Update", "Delete"))

    # then each completed and wrote exactly what it had to
    assert [figures[name].statuses for name in figures] == [
        ["CREATE_COMPLETE"],
        ["UPDATE_COMPLETE"],
        ["DELETE_COMPLETE"],
    ]
    assert create["CreateScheduledAction"] == 1
    assert create["CreateSnapshotCopyConfiguration"] == 1
    assert update["UpdateScheduledAction"] == 1
    assert delete["DeleteScheduledAction"] == 1
    assert delete["DeleteSnapshotCopyConfiguration"] == 1


def test_cold_start_measures_every_handler_and_the_zip(results: Results) -> None:
    # given the cold-start figure
    figure = results.cold_start
    assert figure is not None

    # when its modules and zip are read
    modules = set(figure.imports)

    # then both handlers and boto3 were imported, and the zip holds both handlers
    assert modules == {"boto3", "custom_resource.handler", "event_listener.handler"}
    assert figure.zip is not None, figure.zip_problem
    assert figure.zip.size > 0
    assert figure.zip.files >= 2


def test_wait_baseline_polls_every_thirty_seconds(results: Results) -> None:
    # given the sampled delays and the old tool's fixed 30 s poll
    delays = wait.delays(TINY.wait_samples, wait.SEED)
    baseline = next(figure for figure in results.waits if figure.policy.startswith("old tool"))

    # when its figures are compared with the arithmetic of a fixed poll
    checks = [math.ceil(delay / 30.0) + 1 for delay in delays]
    unprotected = [math.ceil(delay / 30.0) * 30.0 - delay for delay in delays]

    # then they agree exactly, and every policy protected every namespace
    assert baseline.get_namespace_calls == checks
    assert baseline.unprotected == pytest.approx(unprotected)
    assert all(figure.protected == TINY.wait_samples for figure in results.waits)
