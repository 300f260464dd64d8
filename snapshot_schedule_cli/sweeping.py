"""The listener's sweep, run from the operator's machine: plan per region, then carry it out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from custom_resource.spec import Defaults
from event_listener.sweep import (
    COUNT_NAMES,
    SweepPlan,
    SweepReport,
    collect_listings,
    plan_sweep,
    run_sweep,
)

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

# Which command-line flag sets each setting the core reads, for error messages.
FLAG_OF_SETTING: Mapping[str, str] = {
    "SCHED": "--schedule",
    "ROLE_ARN": "--role-arn",
    "RETENTION_PERIOD": "--retention-period",
    "DEST_REGION": "--destination-region",
    "DEST_KMS_KEY_ID": "--destination-kms-key-id",
    "COPY_RETENTION_PERIOD": "--copy-retention-period",
    "CRON_WIRE_FORMAT": "the CRON_WIRE_FORMAT environment variable",
}


@dataclass(frozen=True)
class RegionPlan:
    """The sweep plan of one region, with the client that will carry it out."""

    region: str
    client: RedshiftServerlessClient
    plan: SweepPlan


def plan_region(
    client: RedshiftServerlessClient, region: str, *, repair: bool, prune: bool
) -> RegionPlan:
    """List the region once and plan its sweep (the listener's own planner). Read-only."""
    listings = collect_listings(client)
    return RegionPlan(region, client, plan_sweep(listings, repair=repair, prune=prune))


def execute(
    region_plan: RegionPlan,
    defaults: Defaults,
    *,
    opt_out_tag: str,
    concurrency: int,
    on_progress: Callable[[int], None] = lambda done: None,
) -> SweepReport:
    """Carry out one region's plan `concurrency` steps at a time, reporting progress.

    Each batch goes through the listener's run_sweep, so a step does exactly what the listener
    would do; the reports of the batches are merged into one. Never raises for one namespace.
    """
    plan = region_plan.plan
    counts = dict.fromkeys(COUNT_NAMES, 0)
    counts["covered"] = len(plan.covered)
    counts["not_available"] = len(plan.not_available)
    counts["no_workgroup"] = len(plan.no_workgroup)
    merged = SweepReport(counts, no_workgroup=list(plan.no_workgroup), plan=plan)

    size = max(1, concurrency)
    for start in range(0, len(plan.steps), size):
        batch = plan.steps[start : start + size]
        batch_plan = dataclasses.replace(
            plan, steps=batch, covered=(), not_available=(), no_workgroup=()
        )
        report = run_sweep(
            region_plan.client,
            batch_plan,
            defaults,
            opt_out_tag=opt_out_tag,
            concurrency=size,
        )

        for name, value in report.counts.items():
            counts[name] = counts.get(name, 0) + value
        merged.failures += report.failures
        merged.tag_problems += report.tag_problems
        on_progress(len(batch))

    return merged


def preview(
    region_plan: RegionPlan, defaults: Defaults, *, opt_out_tag: str, concurrency: int
) -> SweepReport:
    """The listener's dry run of one region's plan: tags read, nothing written.

    The report's plan drops the namespaces opted out by tag; its tag problems and failures are
    what the real run would meet.
    """
    return run_sweep(
        region_plan.client,
        region_plan.plan,
        defaults,
        opt_out_tag=opt_out_tag,
        dry_run=True,
        concurrency=concurrency,
    )


def copies_into_a_swept_region(destination: str | None, regions: Sequence[str]) -> str | None:
    """The destination region when it is one of `regions` (a copy into a namespace's own
    region, which the service refuses), else None. `none` and an unset value copy nowhere."""
    text = (destination or "").strip()
    return text if text in regions else None


def defaults_environ(options: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, str]:
    """The settings the core's Defaults.from_environ reads: flags win over the environment."""
    merged = {name: value for name, value in environ.items() if name in FLAG_OF_SETTING}
    for name, value in options.items():
        if value is not None:
            merged[name] = str(value)
    return merged
