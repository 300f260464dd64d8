"""`make demo`: the whole system end to end against the embedded emulator, narrated.

Runs the real custom-resource handler through the local CloudFormation driver and the real
listener handler with CloudTrail-shaped events, inside moto with the Redshift Serverless emulator:
no AWS account, no credentials, no network. The emulated clock is frozen, so the output is the
same on every run. Run it from the repository root (`make demo` does):
`python -m snapshot_schedule_cli.demo`.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from moto import mock_aws
from rich.console import Console
from rich.text import Text

import moto_redshift_serverless
from moto_redshift_serverless import DEFAULT_ACCOUNT_ID
from snapshot_schedule_cli.render import print_status
from snapshot_schedule_cli.status import collect_status

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient
    from mypy_boto3_redshift_serverless.type_defs import TagTypeDef

REGION = "eu-west-1"
DESTINATION_REGION = "us-west-2"
STACK_NAME = "warehouse"
LOGICAL_ID = "SalesSnapshots"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADVANCE = timedelta(hours=30)
ROLE_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/redshift-snapshot-scheduler"
FOREIGN_ACTION = "reporting-nightly"
WIDTH = 120

# What the two functions would have in their Lambda environment.
FUNCTION_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "SCHED": "0 0,8,16 * * ? *",
    "ROLE_ARN": ROLE_ARN,
    "RETENTION_PERIOD": "1",
    "DEST_REGION": DESTINATION_REGION,
    "COPY_RETENTION_PERIOD": "3",
    "LOG_LEVEL": "WARNING",
    # The emulator holds a namespace MODIFYING for a few reads, so short waits suffice here.
    "WAIT_INTERVAL_SECONDS": "0.05",
}
STACK_PROPERTIES = {
    "NamespaceName": "sales",
    "Schedule": "0 0/4 * * ? *",
    "RetentionPeriod": "1",
    "DestinationRegion": DESTINATION_REGION,
    "CopyRetentionPeriod": "3",
}
UPDATED_SCHEDULE = "0 3 * * ? *"
COUNT_LABELS = {"skipped_opt_out": "opted out", "no_workgroup": "without workgroup"}


@dataclass
class DemoResult:
    """What the demo checked at the end: (what, whether it held), in order."""

    checks: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(ok for _, ok in self.checks)


def main() -> None:
    """Run the demo on stdout; exit code 0 when every final check holds."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=WIDTH)
    result = run_demo(console)
    sys.exit(0 if result.passed else 1)


def run_demo(console: Console) -> DemoResult:
    """Play the five steps, printing the narration and a status table after each."""
    try:
        from tests.support.cfn_driver import CloudFormationDriver, Stack
    except ImportError as exc:
        raise SystemExit(
            "The demo uses the test suite's local CloudFormation driver: run it from the "
            "repository root with `make demo`."
        ) from exc

    with _environment(FUNCTION_ENVIRONMENT), _quiet_logging(), mock_aws():
        moto_redshift_serverless.register()
        moto_redshift_serverless.clock.freeze(START)
        try:
            with CloudFormationDriver(region=REGION) as driver:
                tour = _Tour(console, Stack(driver, STACK_NAME))
                return tour.play()
        finally:
            moto_redshift_serverless.reset()


class _Tour:
    """The demo's steps, sharing one console, one stack and one client."""

    def __init__(self, console: Console, stack: Any) -> None:
        self.console = console
        self.stack = stack
        self.client: RedshiftServerlessClient = boto3.client("redshift-serverless", REGION)
        self.backend = moto_redshift_serverless.get_backend(DEFAULT_ACCOUNT_ID, REGION)
        self.destination = moto_redshift_serverless.get_backend(
            DEFAULT_ACCOUNT_ID, DESTINATION_REGION
        )

    def play(self) -> DemoResult:
        self.introduce()
        self.step_stack_creates_schedule()
        self.step_listener_covers_new_namespaces()
        self.step_sweep_backfills()
        self.step_clock_advances()
        return self.step_change_and_tear_down()

    # -- the steps -------------------------------------------------------------------------

    def introduce(self) -> None:
        self.console.print(
            Text.assemble(
                ("Serverless Snapshot Schedule", "bold"),
                " - a tour against the embedded emulator (no AWS account needed)",
            )
        )
        self.say(
            f"Account {DEFAULT_ACCOUNT_ID}, region {REGION}; copies go to {DESTINATION_REGION}. "
            f"The emulated clock starts at {_moment(START)}."
        )
        settings = ("SCHED", "RETENTION_PERIOD", "DEST_REGION", "COPY_RETENTION_PERIOD")
        self.say(
            "The functions' defaults: "
            + "  ".join(f"{name}={FUNCTION_ENVIRONMENT[name]}" for name in settings)
        )

        self.create_namespace("legacy")
        self.create_namespace("archive", workgroup=False)
        self.create_namespace("reporting")
        self.client.create_scheduled_action(
            scheduledActionName=FOREIGN_ACTION,
            namespaceName="reporting",
            roleArn=ROLE_ARN,
            schedule={"cron": "cron(30 1 * * ? *)"},
            targetAction={
                "createSnapshot": {"namespaceName": "reporting", "snapshotNamePrefix": "nightly"}
            },
            scheduledActionDescription="Made by hand by the reporting team",
        )
        self.heading("Before the tool", "three namespaces exist already")
        self.say("  legacy     has a workgroup")
        self.say("  archive    has no workgroup")
        self.say(f"  reporting  has a scheduled action made by hand: {FOREIGN_ACTION}")
        self.status("Status before the tool")

    def step_stack_creates_schedule(self) -> None:
        self.heading("Step 1", "a stack declares a namespace and its schedule")
        self.create_namespace("sales")
        self.say(
            "  CloudFormation creates namespace sales (workgroup sales-wg) and sends Create "
            f"for {LOGICAL_ID}:"
        )
        self.say("    " + "  ".join(f"{key}={value}" for key, value in STACK_PROPERTIES.items()))

        operation = self.stack.create(LOGICAL_ID, STACK_PROPERTIES)
        self.response(operation)
        self.status("Status after step 1")

    def step_listener_covers_new_namespaces(self) -> None:
        self.heading("Step 2", "namespaces created outside IaC reach the listener")
        self.say(
            "  Each CreateNamespace call reaches the listener as a CloudTrail event via "
            "EventBridge."
        )

        self.backend.hold_new_namespaces("MODIFYING", reads=3)
        marketing = self.create_namespace("marketing")
        self.backend.hold_new_namespaces(None)
        outcome = self.listen(_cloudtrail_event("CreateNamespace", marketing))
        self.say(
            f"  marketing  MODIFYING for its first 3 status reads: the listener waited, then "
            f"{_outcome(outcome)}"
        )

        scratch = self.create_namespace("scratch", tags={"snapshot-schedule": "off"})
        outcome = self.listen(_cloudtrail_event("CreateNamespace", scratch))
        self.say(f"  scratch    tagged snapshot-schedule=off: {_outcome(outcome)}")

        overrides = {
            "snapshot-schedule:schedule": "0 6 * * ? *",
            "snapshot-schedule:retention-period": "30",
        }
        finance = self.create_namespace("finance", tags=overrides)
        outcome = self.listen(_cloudtrail_event("CreateNamespace", finance))
        first, second = (f"{key}={value}" for key, value in overrides.items())
        self.say(f"  finance    tagged {first}")
        self.say(f"             and {second}: {_outcome(outcome)}")
        self.status("Status after step 2")

    def step_sweep_backfills(self) -> None:
        self.heading("Step 3", "the {} sweep backfills namespaces older than the tool")
        outcome = self.listen({})
        counts = {name: value for name, value in outcome.get("counts", {}).items() if value}
        self.say(
            "  listener({}) -> "
            + ", ".join(f"{COUNT_LABELS.get(name, name)} {value}" for name, value in counts.items())
        )
        for name in outcome.get("no_workgroup", []):
            self.say(f"  warning: {name} has no workgroup, so its snapshots will fail")
        self.status("Status after step 3")

    def step_clock_advances(self) -> None:
        self.heading("Step 4", f"the clock advances {ADVANCE.total_seconds() / 3600:.0f} hours")
        runs_before = len(self.backend.scheduled_action_runs)
        moto_redshift_serverless.clock.advance(ADVANCE)
        runs = self.backend.scheduled_action_runs[runs_before:]

        succeeded = [run for run in runs if run.succeeded]
        failed = [run for run in runs if not run.succeeded]
        present = {snapshot.snapshot_name for snapshot in self.backend.snapshots.values()}
        expired = [run for run in succeeded if run.snapshot_name not in present]
        self.say(
            f"  {len(runs)} scheduled invocations: {len(succeeded)} snapshots taken, "
            f"{len(failed)} failed"
        )
        self.say(
            f"  {len(present)} snapshots kept in {REGION}; {len(expired)} past their 1-day "
            "retention removed by the service"
        )
        self.say(
            f"  {len(self.destination.snapshots)} copies landed in {DESTINATION_REGION} "
            "(kept 3 days)"
        )
        for namespace_name in sorted({run.namespace_name for run in failed}):
            errors = [run for run in failed if run.namespace_name == namespace_name]
            self.say(f"  {namespace_name}: {len(errors)} failed invocations: {errors[0].error}")
        self.status("Status after step 4")

    def step_change_and_tear_down(self) -> DemoResult:
        self.heading("Step 5", "the stack changes, a namespace goes, the stack goes")
        foreign_before = self.client.get_scheduled_action(scheduledActionName=FOREIGN_ACTION)
        snapshots_before = set(self.backend.snapshots)

        updated = {**STACK_PROPERTIES, "Schedule": UPDATED_SCHEDULE}
        self.say(f"  Stack update: Schedule {STACK_PROPERTIES['Schedule']} -> {UPDATED_SCHEDULE}")
        self.response(self.stack.update(LOGICAL_ID, updated))
        action = self.client.get_scheduled_action(scheduledActionName="snapshot-sales")
        next_runs = action["scheduledAction"].get("nextInvocations") or []
        self.say(
            f"  sales now runs {action['scheduledAction']['schedule'].get('cron')}; next: "
            + ", ".join(_moment(moment) for moment in sorted(next_runs)[:2])
        )

        self.client.delete_workgroup(workgroupName="marketing-wg")
        self.client.delete_namespace(namespaceName="marketing")
        deleted = {"namespaceName": "marketing", "status": "DELETING"}
        outcome = self.listen(_cloudtrail_event("DeleteNamespace", deleted))
        self.say(
            "  marketing is deleted out of band; the DeleteNamespace event -> listener "
            f"{outcome.get('outcome')}: {', '.join(outcome.get('removed', [])) or 'nothing'}"
        )

        self.say("  The stack is deleted: Delete for the custom resource, then the namespace.")
        self.response(self.stack.delete(LOGICAL_ID))
        self.client.delete_workgroup(workgroupName="sales-wg")
        self.client.delete_namespace(namespaceName="sales")
        self.status("Status after step 5")

        return self.final_checks(foreign_before["scheduledAction"], snapshots_before)

    # -- the end -------------------------------------------------------------------------

    def final_checks(
        self, foreign_before: Mapping[str, Any], snapshots_before: set[str]
    ) -> DemoResult:
        self.heading("What is left", "")
        actions = {
            name: action.namespace_name for name, action in self.backend.scheduled_actions.items()
        }
        copies = {
            configuration.namespace_name: configuration.destination_region
            for configuration in self.backend.snapshot_copy_configurations.values()
        }
        foreign_after = self.client.get_scheduled_action(scheduledActionName=FOREIGN_ACTION)
        self.say("  scheduled actions: " + ", ".join(sorted(actions)))
        self.say(
            "  copy configurations: "
            + ", ".join(f"{name} -> {region}" for name, region in sorted(copies.items()))
        )

        result = DemoResult()
        result.checks = [
            ("the stack's scheduled action is gone", "snapshot-sales" not in actions),
            ("the stack's copy configuration is gone", "sales" not in copies),
            ("the deleted namespace's schedule is gone", "snapshot-marketing" not in actions),
            ("the deleted namespace's copy configuration is gone", "marketing" not in copies),
            (
                "the hand-made scheduled action is untouched",
                foreign_after["scheduledAction"] == foreign_before,
            ),
            (
                "the opted-out namespace got nothing",
                "scratch" not in actions.values() and "scratch" not in copies,
            ),
            (
                "the listener's schedules of live namespaces stay",
                {"snapshot-legacy", "snapshot-archive", "snapshot-finance"} <= set(actions),
            ),
            (
                "no snapshot was deleted by the tool",
                snapshots_before <= set(self.backend.snapshots),
            ),
        ]
        for what, ok in result.checks:
            self.say(f"  {'ok' if ok else 'FAILED':<6}  {what}")
        return result

    # -- helpers ---------------------------------------------------------------------------

    def create_namespace(
        self, name: str, *, workgroup: bool = True, tags: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        tag_list: list[TagTypeDef] = [
            {"key": key, "value": value} for key, value in (tags or {}).items()
        ]
        namespace = self.client.create_namespace(namespaceName=name, tags=tag_list)["namespace"]
        if workgroup:
            self.client.create_workgroup(workgroupName=f"{name}-wg", namespaceName=name)
        return dict(namespace)

    def listen(self, event: dict[str, Any]) -> dict[str, Any]:
        from event_listener.handler import handler
        from tests.support.lambda_context import FakeLambdaContext

        return handler(event, FakeLambdaContext(timeout_seconds=60.0))

    def response(self, operation: Any) -> None:
        for response in operation.responses:
            # Data.NextInvocations is left out: the handler computes it from the real clock.
            destination = response.data.get("DestinationRegion")
            self.say(
                f"  {response.request_type} -> {response.status}  "
                f"PhysicalResourceId={response.physical_resource_id}"
                + (f"  Data.DestinationRegion={destination}" if destination else "")
            )
            if response.reason:
                self.say(f"    Reason: {response.reason}")
        self.say(f"  Stack: {operation.status}")

    def heading(self, title: str, text: str) -> None:
        self.console.print()
        self.console.print(Text.assemble((title, "bold"), f" - {text}" if text else ""))

    def say(self, text: str) -> None:
        self.console.print(text, soft_wrap=True, markup=False)

    def status(self, title: str) -> None:
        now = moto_redshift_serverless.clock.now()
        rows = collect_status(self.client, REGION, now=now)
        self.console.print()
        print_status(self.console, rows, now=now, title=f"{title} ({_moment(now)})")


def _cloudtrail_event(event_name: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """An EventBridge event as CloudTrail delivers it for a Redshift Serverless API call."""
    moment = moto_redshift_serverless.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    name = namespace["namespaceName"]
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.redshift-serverless",
        "account": DEFAULT_ACCOUNT_ID,
        "time": moment,
        "region": REGION,
        "resources": [],
        "detail": {
            "eventVersion": "1.09",
            "eventTime": moment,
            "eventSource": "redshift-serverless.amazonaws.com",
            "eventName": event_name,
            "awsRegion": REGION,
            "requestParameters": {"namespaceName": name},
            "responseElements": {
                "namespace": {
                    key: _jsonable(value)
                    for key, value in namespace.items()
                    if key in ("namespaceArn", "namespaceId", "namespaceName", "status")
                }
            },
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": DEFAULT_ACCOUNT_ID,
        },
    }


def _outcome(result: Mapping[str, Any]) -> str:
    outcome = str(result.get("outcome", result.get("status", "")))
    if outcome == "created":
        return f"created {result.get('scheduled_action_name')}"
    if outcome == "skipped_opt_out":
        return "skipped (opted out)"
    return outcome


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration, then restore what was there."""
    saved = {name: os.environ.get(name) for name in [*values, "AWS_PROFILE"]}
    os.environ.pop("AWS_PROFILE", None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _quiet_logging() -> Iterator[None]:
    """The functions log for CloudWatch; the demo narrates instead.

    The handlers set logger levels and crhelper formats the root handlers: all is put back.
    """
    root = logging.getLogger()
    handlers = list(root.handlers)
    formatters = [handler.formatter for handler in handlers]
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    root_level = root.level
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))
        root.setLevel(root_level)
        root.handlers[:] = handlers
        for handler, formatter in zip(handlers, formatters, strict=True):
            handler.setFormatter(formatter)


if __name__ == "__main__":
    main()
