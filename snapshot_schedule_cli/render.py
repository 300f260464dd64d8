"""How the status looks on a terminal (a rich table) and to a program (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from event_listener.sweep import SweepReport
from snapshot_schedule_cli.status import NamespaceStatus, exit_code, stack_name
from snapshot_schedule_cli.sweeping import RegionPlan

VERDICT_STYLES = {"protected": "green", "unprotected": "red", "at risk": "yellow"}
# Compact: two spaces between columns, no outer edge, so the status fits 120 columns.
TABLE_STYLE: dict[str, Any] = {"show_edge": False, "collapse_padding": True, "pad_edge": False}


def status_table(rows: Sequence[NamespaceStatus], *, now: datetime, title: str = "") -> Table:
    """The status as a table, one row per namespace; a region column when several regions."""
    show_region = len({row.region for row in rows}) > 1
    table = Table(title=title or None, box=box.SIMPLE_HEAD, title_justify="left", **TABLE_STYLE)
    if show_region:
        table.add_column("region")
    table.add_column("namespace", no_wrap=True)
    table.add_column("wg")
    table.add_column("owner", no_wrap=True)
    table.add_column("schedule", no_wrap=True)
    table.add_column("next run", no_wrap=True)
    table.add_column("keep", justify="right")
    table.add_column("copy", no_wrap=True)
    table.add_column("newest", no_wrap=True)
    table.add_column("verdict")

    for row in rows:
        action = row.action
        cells: list[str | Text] = [row.region] if show_region else []
        cells += [
            row.namespace_name,
            "yes" if row.workgroups else "no",
            _owner_cell(row),
            action.schedule if action else "-",
            _moment(action.next_run) if action else "-",
            _days(action.retention_period) if action else "-",
            _copy_cell(row),
            _age(row.snapshot_age(now)),
            _verdict_cell(row),
        ]
        table.add_row(*cells)
    return table


def summary_line(rows: Sequence[NamespaceStatus]) -> str:
    """One line: how many namespaces are protected, and what the exit code will be."""
    counted = [row for row in rows if row.counts]
    protected = sum(1 for row in counted if row.verdict == "protected")
    opted_out = len(rows) - len(counted)
    text = f"{protected} of {len(counted)} namespaces protected"
    if opted_out:
        text += f", {opted_out} opted out"
    return f"{text} (exit code {exit_code(rows)})"


def status_json(rows: Sequence[NamespaceStatus], *, now: datetime) -> str:
    """The status as a JSON document: the time judged at, the rows and the exit code."""
    document = {
        "checked_at": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "namespaces": [row.to_json(now) for row in rows],
        "all_protected": exit_code(rows) == 0,
    }
    return json.dumps(document, indent=2)


def print_status(
    console: Console, rows: Sequence[NamespaceStatus], *, now: datetime, title: str = ""
) -> None:
    """Print the table and the summary line (or a note when there is no namespace at all)."""
    if not rows:
        console.print(f"{title}: no namespaces" if title else "No namespaces.")
        return
    console.print(status_table(rows, now=now, title=title))
    console.print(summary_line(rows))


def _owner_cell(row: NamespaceStatus) -> str:
    if row.action is None:
        return "none"
    text: str = row.action.owner_kind
    if row.action.owner_kind == "stack":
        # The stack's name; the logical id is in the JSON output.
        text = f"stack {stack_name(row.action.owner)}"
    elif row.action.owner_kind == "unknown":
        text = row.action.owner
    if row.other_actions:
        text += f" +{row.other_actions}"
    return text


def _copy_cell(row: NamespaceStatus) -> str:
    if row.copy_region is None:
        return "-"
    return f"{row.copy_region} {_days(row.copy_retention_period)}"


def _verdict_cell(row: NamespaceStatus) -> Text:
    text: str = row.verdict
    if row.verdict == "at risk":
        text += ": " + ", ".join(row.reasons)
    if row.opted_out:
        text += " (opted out)"
    style = "dim" if row.opted_out else VERDICT_STYLES.get(row.verdict, "")
    return Text(text, style=style)


def _days(days: int | None) -> str:
    if days is None:
        return "-"
    return "forever" if days == -1 else f"{days}d"


def _moment(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%m-%d %H:%M") if moment else "-"


def _age(age: timedelta | None) -> str:
    if age is None:
        return "none yet"
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m ago"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d} ago"
    return f"{minutes // (24 * 60)}d ago"


def plan_table(region_plans: Sequence[RegionPlan]) -> Table:
    """Every step of the sweep, region by region, before anything is done."""
    table = Table(title="Sweep plan", box=box.SIMPLE_HEAD, title_justify="left", **TABLE_STYLE)
    table.add_column("region")
    table.add_column("step")
    table.add_column("namespace", no_wrap=True)
    table.add_column("scheduled action", no_wrap=True)
    for region_plan in region_plans:
        for step in region_plan.plan.steps:
            table.add_row(
                region_plan.region, step.action, step.namespace_name, step.scheduled_action_name
            )
    return table


def plan_notes(region_plan: RegionPlan) -> list[str]:
    """What the plan saw that needs no step, or cannot be helped by one."""
    plan = region_plan.plan
    notes = []
    for label, names in (
        ("already covered", plan.covered),
        ("opted out by tag (skipped)", plan.skipped_opt_out),
        ("not AVAILABLE yet (the next sweep retries)", plan.not_available),
        ("no workgroup (snapshots will fail until one exists)", plan.no_workgroup),
        ("scheduled actions of deleted namespaces", plan.orphaned_scheduled_actions),
        ("copy configurations of deleted namespaces", plan.orphaned_snapshot_copy_configurations),
    ):
        if names:
            notes.append(f"{region_plan.region}: {label}: {', '.join(names)}")
    return notes


def report_lines(region: str, report: SweepReport) -> list[str]:
    """The outcome of one region's sweep: non-zero counts, then each failure and tag problem."""
    counts = ", ".join(
        f"{name.replace('_', ' ')} {value}" for name, value in report.counts.items() if value
    )
    lines = [f"{region}: {counts or 'nothing to do'}"]
    lines += [
        f"{region}: failed {failure['namespace_name']}: {failure['error']}"
        for failure in report.failures
    ]
    lines += [
        f"{region}: tags of {problem['namespace_name']} ignored: {'; '.join(problem['problems'])}"
        for problem in report.tag_problems
    ]
    return lines


def preview_lines(region: str, report: SweepReport) -> list[str]:
    """What a dry run found the real run would meet: each failure and tag problem."""
    lines = [
        f"{region}: would fail {failure['namespace_name']}: {failure['error']}"
        for failure in report.failures
    ]
    lines += [
        f"{region}: tags of {problem['namespace_name']} would be ignored: "
        + "; ".join(problem["problems"])
        for problem in report.tag_problems
    ]
    return lines
