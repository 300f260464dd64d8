"""`snapshot-schedule`: the operator's view of and hand on every namespace's snapshot schedule."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import Progress

from custom_resource.errors import SpecError
from custom_resource.spec import Defaults
from event_listener.sweep import SweepReport
from event_listener.tags import DEFAULT_OPT_OUT_TAG
from snapshot_schedule_cli.connection import Connection
from snapshot_schedule_cli.problems import OperatorError, explain
from snapshot_schedule_cli.render import (
    plan_notes,
    plan_table,
    preview_lines,
    print_status,
    report_lines,
    status_json,
)
from snapshot_schedule_cli.status import NamespaceStatus, collect_status, exit_code
from snapshot_schedule_cli.sweeping import (
    FLAG_OF_SETTING,
    RegionPlan,
    copies_into_a_swept_region,
    defaults_environ,
    execute,
    plan_region,
    preview,
)

F = TypeVar("F", bound=Callable[..., Any])
PRODUCT_LOGGERS = ("custom_resource", "event_listener")


@dataclass(frozen=True)
class CommonOptions:
    """The flags every command takes."""

    connection: Connection
    output: str


class _Group(click.Group):
    """A group whose commands report an operator's mistake in one line (exit 2), not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            message = explain(exc)
            if message is None:
                raise
            raise OperatorError(message) from exc


def common_options(command: F) -> F:
    """Add --region (repeatable), --profile, --endpoint-url and --output to a command."""

    @click.option(
        "--region",
        "regions",
        multiple=True,
        metavar="REGION",
        help="Region to work on; repeat for several. Default: the profile's region.",
    )
    @click.option("--profile", default=None, help="AWS profile (default: the usual chain).")
    @click.option(
        "--endpoint-url",
        default=None,
        metavar="URL",
        help="Send Redshift Serverless calls to this endpoint (e.g. an emulator).",
    )
    @click.option(
        "--output",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="Human table or JSON for programs.",
    )
    @click.option(
        "-v", "--verbose", is_flag=True, help="Log every change to stderr, not only problems."
    )
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        regions: tuple[str, ...],
        profile: str | None,
        endpoint_url: str | None,
        output: str,
        verbose: bool,
        **kwargs: Any,
    ) -> Any:
        options = CommonOptions(
            connection=Connection(
                profile=profile, requested_regions=regions, endpoint_url=endpoint_url
            ),
            output=output,
        )
        with product_logging(verbose=verbose):
            return command(*args, options=options, **kwargs)

    return wrapper  # type: ignore[return-value]


@contextmanager
def product_logging(*, verbose: bool) -> Iterator[None]:
    """Send the core's and the listener's log lines to stderr while a command runs.

    Problems (WARNING and up) always; every change (INFO) with --verbose. Undone afterwards.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    loggers = [logging.getLogger(name) for name in PRODUCT_LOGGERS]
    levels = [logger.level for logger in loggers]

    for logger in loggers:
        logger.addHandler(handler)
        if verbose:
            logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="serverless-snapshot-schedule")
def main() -> None:
    """Scheduled snapshots for every Amazon Redshift Serverless namespace.

    Exit codes: 0 all good, 1 something is not protected (or a sweep step failed),
    2 a problem to fix first (credentials, region, access, a bad flag).
    """


@main.command()
@common_options
@click.option(
    "--opt-out-tag",
    envvar="OPT_OUT_TAG",
    default=DEFAULT_OPT_OUT_TAG,
    show_default=True,
    help="Namespaces tagged <this>=off are left out of the exit code. Env: OPT_OUT_TAG.",
)
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="How long after an invocation its snapshot may take before it counts as overdue.",
)
def status(options: CommonOptions, opt_out_tag: str, grace_minutes: int) -> None:
    """One row per namespace: what protects it, and whether that is enough.

    Exit code 0 when every namespace not opted out is protected, 1 otherwise.
    """
    now = datetime.now(UTC)
    rows = gather_status(
        options.connection, now=now, opt_out_tag=opt_out_tag, grace=timedelta(minutes=grace_minutes)
    )

    if options.output == "json":
        click.echo(status_json(rows, now=now))
    else:
        print_status(stdout_console(), rows, now=now)
    sys.exit(exit_code(rows))


def gather_status(
    connection: Connection, *, now: datetime, opt_out_tag: str, grace: timedelta
) -> list[NamespaceStatus]:
    """The status rows of every region of `connection`, in region order."""
    rows: list[NamespaceStatus] = []
    for region in connection.regions:
        client = connection.client(region)
        rows += collect_status(client, region, now=now, opt_out_tag=opt_out_tag, grace=grace)
    return rows


def stdout_console() -> Console:
    """A console on stdout, wide enough for the table even when output is piped."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=140)
    return console


@main.command()
@common_options
@click.option("--dry-run", is_flag=True, envvar="SWEEP_DRY_RUN", help="Print the plan only.")
@click.option(
    "--repair",
    is_flag=True,
    envvar="SWEEP_REPAIR",
    help="Also bring the listener's own schedules back to the defaults.",
)
@click.option(
    "--prune",
    is_flag=True,
    envvar="SWEEP_PRUNE",
    help="Also remove the tool's schedules of namespaces that no longer exist.",
)
@click.option("--schedule", envvar="SCHED", help="Default 6-field cron. Env: SCHED.")
@click.option("--role-arn", envvar="ROLE_ARN", help="Role the scheduler assumes. Env: ROLE_ARN.")
@click.option(
    "--retention-period",
    envvar="RETENTION_PERIOD",
    help="Snapshot retention in days, -1 = indefinite (default 7). Env: RETENTION_PERIOD.",
)
@click.option(
    "--destination-region",
    envvar="DEST_REGION",
    help="Copy destination region, or 'none'. Env: DEST_REGION.",
)
@click.option("--destination-kms-key-id", envvar="DEST_KMS_KEY_ID", help="Env: DEST_KMS_KEY_ID.")
@click.option(
    "--copy-retention-period",
    envvar="COPY_RETENTION_PERIOD",
    help="Retention of the copies in days (default: --retention-period).",
)
@click.option(
    "--opt-out-tag",
    envvar="OPT_OUT_TAG",
    default=DEFAULT_OPT_OUT_TAG,
    show_default=True,
    help="Namespaces tagged <this>=off are skipped. Env: OPT_OUT_TAG.",
)
@click.option(
    "--concurrency",
    envvar="SWEEP_CONCURRENCY",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="Namespaces worked on at once. Env: SWEEP_CONCURRENCY.",
)
def sweep(
    options: CommonOptions,
    dry_run: bool,
    repair: bool,
    prune: bool,
    opt_out_tag: str,
    concurrency: int,
    **settings: str | None,
) -> None:
    """Give every namespace without a scheduled action the default one, as the listener does.

    Prints the plan first, then carries it out. Exit code 1 if any namespace failed.
    """
    # A copy into a swept region would fail for every namespace of that region: say so once.
    regions = options.connection.regions
    _refuse_copies_into_a_swept_region(settings, regions)

    region_plans = [
        plan_region(options.connection.client(region), region, repair=repair, prune=prune)
        for region in regions
    ]
    has_steps = any(region_plan.plan.steps for region_plan in region_plans)
    defaults = _sweep_defaults(settings) if has_steps else None

    reports: dict[str, SweepReport] = {}
    if dry_run:
        # The dry run reads tags, so the plan printed is the one the real run would carry out.
        if defaults is not None:
            region_plans, reports = _preview_plans(
                region_plans, defaults, opt_out_tag=opt_out_tag, concurrency=concurrency
            )
        if options.output == "table":
            _print_plan(stdout_console(), region_plans)
            _echo_lines(preview_lines(region, report) for region, report in reports.items())
    else:
        if options.output == "table":
            _print_plan(stdout_console(), region_plans)
        if defaults is not None:
            err = Console(stderr=True, highlight=False)
            reports = _execute_with_progress(
                err, region_plans, defaults, opt_out_tag=opt_out_tag, concurrency=concurrency
            )
        if options.output == "table":
            _echo_lines(report_lines(region, report) for region, report in reports.items())

    if options.output == "json":
        click.echo(_sweep_json(region_plans, reports, dry_run=dry_run))
    failed = not dry_run and any(
        report.failures or report.counts.get("remaining") for report in reports.values()
    )
    sys.exit(1 if failed else 0)


def _settings_environ(settings: dict[str, str | None]) -> dict[str, str]:
    flags = {
        "SCHED": settings.get("schedule"),
        "ROLE_ARN": settings.get("role_arn"),
        "RETENTION_PERIOD": settings.get("retention_period"),
        "DEST_REGION": settings.get("destination_region"),
        "DEST_KMS_KEY_ID": settings.get("destination_kms_key_id"),
        "COPY_RETENTION_PERIOD": settings.get("copy_retention_period"),
    }
    return defaults_environ(flags, os.environ)


def _sweep_defaults(settings: dict[str, str | None]) -> Defaults:
    try:
        return Defaults.from_environ(_settings_environ(settings))
    except SpecError as exc:
        flag = FLAG_OF_SETTING.get(exc.field, exc.field)
        raise OperatorError(f"{exc}. Fix: pass {flag} or set {exc.field}.") from exc


def _refuse_copies_into_a_swept_region(
    settings: dict[str, str | None], regions: tuple[str, ...]
) -> None:
    destination = copies_into_a_swept_region(
        _settings_environ(settings).get("DEST_REGION"), regions
    )
    if destination is None:
        return

    from_flag = click.get_current_context().get_parameter_source("destination_region")
    source = (
        "--destination-region"
        if from_flag == click.core.ParameterSource.COMMANDLINE
        else "DEST_REGION"
    )
    raise OperatorError(
        f"{source} {destination} is also a region to sweep, and a namespace cannot copy "
        f"snapshots into its own region. Fix: pass another --destination-region (or 'none'), "
        f"or sweep {destination} in a run of its own with a destination elsewhere."
    )


def _preview_plans(
    region_plans: list[RegionPlan], defaults: Defaults, *, opt_out_tag: str, concurrency: int
) -> tuple[list[RegionPlan], dict[str, SweepReport]]:
    reports = {
        rp.region: preview(rp, defaults, opt_out_tag=opt_out_tag, concurrency=concurrency)
        for rp in region_plans
    }
    previewed = [
        dataclasses.replace(rp, plan=reports[rp.region].plan or rp.plan) for rp in region_plans
    ]
    return previewed, reports


def _echo_lines(groups: Iterable[list[str]]) -> None:
    for lines in groups:
        for line in lines:
            click.echo(line)


def _print_plan(console: Console, region_plans: list[RegionPlan]) -> None:
    if any(rp.plan.steps for rp in region_plans):
        console.print(plan_table(region_plans))
    else:
        console.print("Sweep plan: nothing to do.")
    for region_plan in region_plans:
        for note in plan_notes(region_plan):
            console.print(note)


def _execute_with_progress(
    console: Console,
    region_plans: list[RegionPlan],
    defaults: Defaults,
    *,
    opt_out_tag: str,
    concurrency: int,
) -> dict[str, SweepReport]:
    total = sum(len(rp.plan.steps) for rp in region_plans)
    reports: dict[str, SweepReport] = {}
    with Progress(console=console, transient=not console.is_terminal) as progress:
        task = progress.add_task("Sweeping", total=total)
        for region_plan in region_plans:
            reports[region_plan.region] = execute(
                region_plan,
                defaults,
                opt_out_tag=opt_out_tag,
                concurrency=concurrency,
                on_progress=lambda done: progress.advance(task, done),
            )
    return reports


def _sweep_json(
    region_plans: list[RegionPlan], reports: dict[str, SweepReport], *, dry_run: bool
) -> str:
    document = {
        "dry_run": dry_run,
        "regions": {
            rp.region: {
                "plan": rp.plan.to_dict(),
                "report": reports[rp.region].to_dict() if rp.region in reports else None,
            }
            for rp in region_plans
        },
    }
    return json.dumps(document, indent=2)
