"""Run a list of soak operations against the emulator, with faults on, and check invariants.

Each run starts from an empty world (a fresh ``mock_aws``), seeds a few foreign objects, applies
the operations one by one through the real handlers (the custom resource through the local
CloudFormation driver, the listener with CloudTrail-shaped events), checks the step invariants
after every operation, then lets the world settle (every pending event delivered, every
namespace AVAILABLE, one last sweep) and checks the final invariants.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.retries import standard
from moto import mock_aws

import moto_redshift_serverless
from custom_resource.errors import SnapshotScheduleError
from moto_redshift_serverless import DEFAULT_ACCOUNT_ID, RedshiftServerlessBackend
from tests.listener.samples import cloudtrail_event
from tests.soak.operations import (
    FOREIGN_NAMESPACES,
    LOGICAL_ID,
    Operation,
)
from tests.support.cfn_driver import CloudFormationDriver, DriverError, Stack
from tests.support.lambda_context import FakeLambdaContext

REGION = "eu-west-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
DESTINATION_REGION = "eu-central-1"
FOREIGN_ROLE_ARN = "arn:aws:iam::123456789012:role/hand-made"
DEFAULT_SCHEDULE = "0 0,8,16 * * ? *"
DEFAULT_RETENTION = 7
OPT_OUT_TAG = "snapshot-schedule"

# A custom resource invocation's Lambda timeout; a "slow" one leaves under a second to wait
# for the namespace (the handler keeps 5 s back to answer), so it hands over to polling.
FUNCTION_TIMEOUT_SECONDS = 30.0
SLOW_FUNCTION_TIMEOUT_SECONDS = 5.1
MAX_POLLS = 30
LISTENER_TIMEOUT_SECONDS = 60.0

# The ownership marker as the architecture defines it, read independently of the product.
MARKER = re.compile(
    r"^Managed by serverless-snapshot-schedule; "
    r"owner=(?P<owner>[^;\s]+); copy=(?P<copy>[a-z0-9-]+)$"
)

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "ROLE_ARN": ROLE_ARN,
    "DEST_REGION": DESTINATION_REGION,
    "WAIT_ATTEMPTS": "3",
    "WAIT_INTERVAL_SECONDS": "0.01",
    "DEADLINE_MARGIN_SECONDS": "0.5",
    "SWEEP_CONCURRENCY": "4",
}
UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS",
    "SCHED",
    "RETENTION_PERIOD",
    "COPY_RETENTION_PERIOD",
    "DEST_KMS_KEY_ID",
    "CRON_WIRE_FORMAT",
    "OPT_OUT_TAG",
    "SWEEP_DRY_RUN",
    "SWEEP_REPAIR",
    "SWEEP_PRUNE",
    "LOG_LEVEL",
    "POLL_TIMEOUT_SECONDS",
)


@dataclass(frozen=True)
class Faults:
    """The fault profile of a run (see moto_redshift_serverless.faults.configure): by default
    about 10 % of calls throttled, 2 % InternalServerException and a little latency jitter."""

    # The emulator throttles with a token bucket, so the share of throttled calls depends on
    # the pace of the calls: here 100 calls/s in bursts of 10 throttles about one in ten.
    rate_limit: float | None = 100.0
    burst: int = 10
    internal_error_rate: float = 0.02
    latency: float = 0.0
    jitter: float = 0.002
    # botocore's back-off between retries is scaled down: the soak checks outcomes, not waiting.
    # At a tenth, a throttled client waits long enough for the bucket to refill; scaled down
    # further, most retries are throttled again.
    backoff_scale: float = 0.1

    @classmethod
    def off(cls) -> Faults:
        return cls(rate_limit=None, internal_error_rate=0.0, jitter=0.0)


@dataclass(frozen=True)
class Violation:
    """One broken invariant, after operation ``index`` (-1: during the final checks)."""

    invariant: str
    detail: str
    index: int

    def __str__(self) -> str:
        where = "final state" if self.index < 0 else f"after operation #{self.index}"
        return f"[{self.invariant}] {where}: {self.detail}"


@dataclass
class RunResult:
    """What a run did and which invariants it broke (empty when it passed)."""

    violations: list[Violation] = field(default_factory=list)
    operations_applied: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def passed(self) -> bool:
        return not self.violations


@dataclass
class _Declaration:
    """What one stack resource declares, and whether CloudFormation lost track of it."""

    namespace: str
    properties: dict[str, Any]
    tainted: bool = False


class _ErrorCollector(logging.Handler):
    """Keeps the log records that mean an exception escaped the product's own handling."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.escaped: list[str] = []
        self.timed_out: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name.startswith("crhelper") and "about to time out" in message:
            self.timed_out.append(message)
        if record.exc_info is None or record.exc_info[1] is None:
            return
        exc = record.exc_info[1]
        if not isinstance(exc, SnapshotScheduleError):
            self.escaped.append(f"{record.name}: {type(exc).__name__}: {exc}")


class Soak:
    """One run: the emulated world, the stacks as CloudFormation tracks them, the events
    CloudTrail has not delivered yet, and the snapshots of the foreign objects."""

    def __init__(
        self,
        backend: RedshiftServerlessBackend,
        driver: CloudFormationDriver,
        *,
        collector: _ErrorCollector,
        concurrent_races: bool = True,
    ) -> None:
        self.backend = backend
        self.driver = driver
        self.concurrent_races = concurrent_races
        self.stacks: dict[str, Stack] = {}
        self.declarations: dict[str, _Declaration] = {}
        self.pending_events: list[dict[str, Any]] = []
        self.opted_out: set[str] = set()
        self.retention_tag: dict[str, str] = {}
        self.foreign_actions: dict[str, dict[str, Any]] = {}
        self.foreign_copies: dict[str, dict[str, Any]] = {}
        self.outcomes: Counter[str] = Counter()
        self.problems: list[tuple[str, str]] = []
        self.failed_requests: list[str] = []
        self.collector = collector
        self._handler = driver.handler
        driver.handler = self._guarded_custom_resource

    # -- the foreign world ---------------------------------------------------------------------

    def seed_foreign_objects(self) -> None:
        """Namespaces someone else looks after: hand-made schedules the tool must never touch."""
        for name in FOREIGN_NAMESPACES:
            self.backend.create_namespace({"namespaceName": name})
            self.backend.create_workgroup({"workgroupName": f"wg-{name}", "namespaceName": name})
            self.backend.create_scheduled_action(
                {
                    "scheduledActionName": f"nightly-{name}",
                    "namespaceName": name,
                    "roleArn": FOREIGN_ROLE_ARN,
                    "schedule": {"cron": "cron(0 2 * * ? *)"},
                    "targetAction": {
                        "createSnapshot": {"namespaceName": name, "snapshotNamePrefix": "by-hand"}
                    },
                    # Looks like the tool's marker but is not: it must still count as foreign.
                    "scheduledActionDescription": "Managed by serverless-snapshot-schedule? no",
                }
            )
        self.backend.create_snapshot_copy_configuration(
            {
                "namespaceName": FOREIGN_NAMESPACES[0],
                "destinationRegion": "us-west-2",
                "snapshotRetentionPeriod": 30,
            }
        )
        self.foreign_actions = self._foreign_action_snapshot()
        self.foreign_copies = self._foreign_copy_snapshot()

    def _foreign_action_snapshot(self) -> dict[str, dict[str, Any]]:
        return {
            name: _stable(action.to_dict())
            for name, action in self.backend.scheduled_actions.items()
            if action.namespace_name in FOREIGN_NAMESPACES
        }

    def _foreign_copy_snapshot(self) -> dict[str, dict[str, Any]]:
        return {
            configuration_id: configuration.to_dict()
            for configuration_id, configuration in self.backend.snapshot_copy_configurations.items()
            if configuration.namespace_name in FOREIGN_NAMESPACES
        }

    # -- operations ----------------------------------------------------------------------------

    def apply(self, operation: Operation) -> None:
        """Apply one operation; skipped (and counted) when it does not fit the current state."""
        action: Callable[[Operation], str] = getattr(self, f"_{operation.kind}")
        outcome = action(operation)
        self.outcomes[f"{operation.kind}:{outcome}"] += 1

    def _create_namespace(self, operation: Operation) -> str:
        name = operation.namespace
        if name in self.backend.namespaces:
            return "skipped"
        tags = [{"key": key, "value": value} for key, value in operation.tags]
        self.backend.create_namespace({"namespaceName": name, "tags": tags})
        self.backend.create_workgroup({"workgroupName": f"wg-{name}", "namespaceName": name})
        tag_map = dict(operation.tags)
        if tag_map.get(OPT_OUT_TAG) == "off":
            self.opted_out.add(name)
        else:
            self.opted_out.discard(name)
        self.retention_tag[name] = tag_map.get(f"{OPT_OUT_TAG}:retention-period", "")
        self.pending_events.append(cloudtrail_event("CreateNamespace", name))
        return "created"

    def _delete_namespace(self, operation: Operation) -> str:
        name = operation.namespace
        if name not in self.backend.namespaces:
            return "skipped"
        if f"wg-{name}" in self.backend.workgroups:
            self.backend.delete_workgroup(f"wg-{name}")
        self.backend.delete_namespace({"namespaceName": name})
        self.pending_events.append(cloudtrail_event("DeleteNamespace", name))
        return "deleted"

    def _deliver_event(self, operation: Operation) -> str:
        if not self.pending_events:
            return "skipped"
        event = self.pending_events.pop(operation.pick % len(self.pending_events))
        if operation.duplicate:
            self.pending_events.append(copy.deepcopy(event))
        return self._listen(event)

    def _sweep(self, operation: Operation) -> str:
        return self._listen({})

    def _stack_create(self, operation: Operation) -> str:
        stack = self._stack(operation.stack)
        if LOGICAL_ID in stack.resources:
            return "skipped"
        return self._declare(
            stack, operation, stack.create(LOGICAL_ID, operation.properties_dict())
        )

    def _stack_update(self, operation: Operation, *, fail_after: bool = False) -> str:
        stack = self._stack(operation.stack)
        if LOGICAL_ID not in stack.resources:
            return "skipped"
        result = stack.update(LOGICAL_ID, operation.properties_dict(), fail_after=fail_after)
        return self._declare(stack, operation, result)

    def _stack_update_rolled_back(self, operation: Operation) -> str:
        return self._stack_update(operation, fail_after=True)

    def _stack_delete(self, operation: Operation) -> str:
        stack = self._stack(operation.stack)
        if LOGICAL_ID not in stack.resources:
            return "skipped"
        return self._declare(stack, operation, stack.delete(LOGICAL_ID))

    def _race(self, operation: Operation) -> str:
        """A namespace's CreateNamespace event and a stack's request for it, at the same time."""
        name = operation.namespace
        if name not in self.backend.namespaces:
            self._create_namespace(Operation("create_namespace", namespace=name))
            self.pending_events.pop()  # the race delivers it
        stack = self._stack(operation.stack)
        event = cloudtrail_event("CreateNamespace", name)

        def stack_side() -> str:
            if LOGICAL_ID in stack.resources:
                return self._stack_update(operation)
            return self._stack_create(operation)

        if not self.concurrent_races:
            return f"{self._listen(event)}/{stack_side()}"
        with ThreadPoolExecutor(max_workers=2) as pool:
            listened = pool.submit(self._listen, event)
            declared = pool.submit(stack_side)
            return f"{listened.result()}/{declared.result()}"

    def _slow_namespace(self, operation: Operation) -> str:
        """A stack request for a namespace that stays MODIFYING longer than one invocation."""
        name = operation.namespace
        if name not in self.backend.namespaces:
            return "skipped"
        self.backend.set_namespace_status(name, "MODIFYING")

        def before_poll(poll: int) -> None:
            if poll >= operation.reads and name in self.backend.namespaces:
                self.backend.set_namespace_status(name, "AVAILABLE")

        # A Lambda has one timeout: the polls and any rollback or cleanup request of this
        # operation get the same short budget as its first invocation.
        self.driver.timeout_seconds = SLOW_FUNCTION_TIMEOUT_SECONDS
        self.driver.before_poll = before_poll
        try:
            stack = self._stack(operation.stack)
            if LOGICAL_ID in stack.resources:
                return self._stack_update(operation)
            return self._stack_create(operation)
        finally:
            self.driver.timeout_seconds = FUNCTION_TIMEOUT_SECONDS
            self.driver.before_poll = None
            if name in self.backend.namespaces:
                self.backend.set_namespace_status(name, "AVAILABLE")

    # -- the handlers, watched -----------------------------------------------------------------

    def _stack(self, name: str) -> Stack:
        return self.stacks.setdefault(name, Stack(self.driver, name))

    def _declare(self, stack: Stack, operation: Operation, result: Any) -> str:
        """Follow CloudFormation's view of the resource after an operation on it."""
        key = f"{stack.name}/{LOGICAL_ID}"
        resource = stack.resources.get(LOGICAL_ID)
        if resource is None:
            self.declarations.pop(key, None)
        else:
            tainted = result.status.endswith("ROLLBACK_FAILED") or result.status == "DELETE_FAILED"
            self.declarations[key] = _Declaration(
                str(resource.properties["NamespaceName"]), dict(resource.properties), tainted
            )
        for response in result.responses:
            if response.status != "SUCCESS":
                self.failed_requests.append(f"{response.request_type}: {response.reason}")
            if response.reason == "Execution timed out":
                self.problems.append(("deadline", f"{key}: crhelper's timeout answer was sent"))
        return str(result.status)

    def _guarded_custom_resource(self, event: dict[str, Any], context: Any) -> None:
        # An exception out of the handler is a failed Lambda invocation: CloudFormation hears
        # nothing, which the driver then reports as a request without a response.
        try:
            self._handler(event, context)
        except Exception as exc:
            self.problems.append(
                ("unhandled", f"custom resource {event.get('RequestType')}: {exc!r}")
            )
            return
        if context.get_remaining_time_in_millis() <= 0:
            self.problems.append(
                ("deadline", f"custom resource {event.get('RequestType')} ran past its timeout")
            )

    def _listen(self, event: dict[str, Any]) -> str:
        from event_listener.handler import handler

        context = FakeLambdaContext(timeout_seconds=LISTENER_TIMEOUT_SECONDS)
        try:
            result = handler(event, context)
        except Exception as exc:
            self.problems.append(("unhandled", f"listener raised {exc!r}"))
            return "raised"
        error = str(result.get("error", ""))
        if result.get("status") == "error" or error.startswith("unexpected error"):
            self.problems.append(("unhandled", f"listener answered {result!r}"))
        if context.get_remaining_time_in_millis() <= 0:
            self.problems.append(("deadline", "the listener ran past its timeout"))
        return str(result.get("outcome") or result.get("status"))

    # -- settling and invariants -----------------------------------------------------------------

    def settle(self) -> None:
        """Every namespace AVAILABLE, every pending event delivered (in order), one last sweep."""
        for name in list(self.backend.namespaces):
            self.backend.set_namespace_status(name, "AVAILABLE")
        while self.pending_events:
            self._listen(self.pending_events.pop(0))
        self._listen({})

    def step_violations(self, index: int) -> list[Violation]:
        """Invariants that hold after every operation."""
        found = [Violation(kind, detail, index) for kind, detail in self.problems]
        self.problems.clear()
        failed_requests, self.failed_requests = self.failed_requests, []
        found += [Violation("unhandled", text, index) for text in self.collector.escaped]
        found += [Violation("deadline", text, index) for text in self.collector.timed_out]
        self.collector.escaped.clear()
        self.collector.timed_out.clear()

        if self._foreign_action_snapshot() != self.foreign_actions:
            found.append(Violation("foreign", "a foreign scheduled action changed", index))
        if self._foreign_copy_snapshot() != self.foreign_copies:
            found.append(Violation("foreign", "a foreign copy configuration changed", index))

        for action in self.backend.scheduled_actions.values():
            marker = MARKER.match(action.description or "")
            if marker is None or not marker["owner"].startswith("stack/"):
                continue
            declared = self.declarations.get(marker["owner"].removeprefix("stack/"))
            if declared is None or declared.namespace != action.namespace_name:
                found.append(
                    Violation(
                        "survives-stack",
                        f"{action.scheduled_action_name} of {action.namespace_name} is owned by "
                        f"{marker['owner']}, which declares "
                        f"{declared.namespace if declared else 'nothing'}",
                        index,
                    )
                )
        if found and failed_requests:
            found.append(
                Violation("context", "requests that failed: " + " | ".join(failed_requests), index)
            )
        return found

    def final_violations(self) -> list[Violation]:
        """Invariants of the settled world."""
        found = self.step_violations(-1)
        live = set(self.backend.namespaces)

        for action in self.backend.scheduled_actions.values():
            if action.namespace_name not in live and MARKER.match(action.description or ""):
                found.append(
                    Violation(
                        "survives-namespace",
                        f"{action.scheduled_action_name} outlived its namespace "
                        f"{action.namespace_name}",
                        -1,
                    )
                )
        for configuration in self.backend.snapshot_copy_configurations.values():
            if configuration.namespace_name not in live:
                found.append(
                    Violation(
                        "survives-namespace",
                        f"copy configuration {configuration.configuration_id} outlived namespace "
                        f"{configuration.namespace_name}",
                        -1,
                    )
                )

        for name in sorted(live - set(FOREIGN_NAMESPACES)):
            found += self._coverage_violations(name)

        leftover_rules = self.driver.polling_rules()
        if leftover_rules:
            found.append(Violation("polling", f"polling rules left behind: {leftover_rules}", -1))
        return found

    def _coverage_violations(self, name: str) -> list[Violation]:
        actions = [a for a in self.backend.scheduled_actions.values() if a.namespace_name == name]
        copies = [
            c
            for c in self.backend.snapshot_copy_configurations.values()
            if c.namespace_name == name
        ]
        markers = [MARKER.match(a.description or "") for a in actions]
        if name in self.opted_out:
            listener_owned = [m for m in markers if m and m["owner"] == "listener"]
            if listener_owned or len(actions) > 1:
                return [Violation("coverage", f"opted-out {name} has {len(actions)} action(s)", -1)]
            return []

        if len(actions) != 1 or markers[0] is None:
            names = [a.scheduled_action_name for a in actions]
            return [Violation("coverage", f"{name} has scheduled actions {names}", -1)]
        if len(copies) > 1:
            return [Violation("coverage", f"{name} has {len(copies)} copy configurations", -1)]

        action, marker = actions[0], markers[0]
        if marker["owner"] == "listener":
            wanted = self._listener_spec(name)
        else:
            declared = self.declarations.get(marker["owner"].removeprefix("stack/"))
            if declared is None or declared.tainted:
                return []
            wanted = _stack_spec(declared.properties)

        have = {
            "name": action.scheduled_action_name,
            "role": action.role_arn,
            "schedule": _bare_cron(str(action.schedule.get("cron", ""))),
            "retention": action.target_action["createSnapshot"].get("retentionPeriod"),
            "copy": sorted((c.destination_region, c.retention_period) for c in copies),
            "marker_copy": marker["copy"],
        }
        wanted["name"] = f"snapshot-{name}"
        if have != wanted:
            return [Violation("spec", f"{name}: has {have}, wants {wanted}", -1)]
        return []

    def _listener_spec(self, name: str) -> dict[str, Any]:
        tag = self.retention_tag.get(name, "")
        retention = int(tag) if tag.lstrip("-").isdigit() else DEFAULT_RETENTION
        return _spec(DEFAULT_SCHEDULE, retention, DESTINATION_REGION)


def _stack_spec(properties: Mapping[str, Any]) -> dict[str, Any]:
    schedule = _bare_cron(str(properties.get("Schedule") or DEFAULT_SCHEDULE))
    retention = int(properties.get("RetentionPeriod") or DEFAULT_RETENTION)
    destination = properties.get("DestinationRegion")
    if destination is None or destination == "":
        region: str | None = DESTINATION_REGION if destination is None else None
    else:
        region = None if destination == "none" else str(destination)
    return _spec(schedule, retention, region)


def _spec(schedule: str, retention: int, region: str | None) -> dict[str, Any]:
    return {
        "role": ROLE_ARN,
        "schedule": _bare_cron(schedule),
        "retention": retention,
        "copy": [(region, retention)] if region else [],
        "marker_copy": region or "none",
    }


def _bare_cron(text: str) -> str:
    text = text.strip()
    if text.startswith("cron(") and text.endswith(")"):
        text = text[5:-1]
    elif text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return " ".join(text.split())


def _stable(action: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in action.items() if key != "nextInvocations"}


# -- running ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*ENVIRONMENT, *UNSET)}
    for name in UNSET:
        os.environ.pop(name, None)
    os.environ.update(ENVIRONMENT)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _quick_backoff(scale: float) -> Iterator[None]:
    original = standard.ExponentialBackoff.delay_amount

    def delay_amount(self: standard.ExponentialBackoff, context: Any) -> float:
        return float(original(self, context)) * scale

    standard.ExponentialBackoff.delay_amount = delay_amount  # type: ignore[method-assign]
    try:
        yield
    finally:
        standard.ExponentialBackoff.delay_amount = original  # type: ignore[method-assign]


def _configure_faults(faults: Faults, seed: int) -> None:
    moto_redshift_serverless.faults.configure(
        latency=faults.latency,
        jitter=faults.jitter,
        rate_limit=faults.rate_limit,
        burst=faults.burst if faults.rate_limit else None,
        internal_error_rate=faults.internal_error_rate,
        seed=seed,
    )


_run_lock = threading.Lock()


def run(
    operations: list[Operation],
    *,
    seed: int,
    faults: Faults | None = None,
    stop_at_first: bool = True,
    handler: Callable[[dict[str, Any], Any], Any] | None = None,
    progress: Callable[[int, RunResult], None] | None = None,
    concurrent_races: bool = True,
) -> RunResult:
    """Apply ``operations`` to a fresh world and return the invariants they broke.

    ``handler`` replaces the custom resource handler (default: the product's), so the checks
    themselves can be tested against a handler known to misbehave; ``progress(n, result)`` is
    called after each operation; with ``concurrent_races`` off, a race delivers the event and
    then sends the stack's request, one after the other.
    """
    from event_listener.handler import cached_client

    result = RunResult()
    root = logging.getLogger()
    faults = faults or Faults()
    with _run_lock, _environment(), _quick_backoff(faults.backoff_scale):
        moto_redshift_serverless.register()
        cached_client.cache_clear()
        collector = _ErrorCollector()
        root.addHandler(collector)
        try:
            with (
                mock_aws(),
                CloudFormationDriver(
                    handler, timeout_seconds=FUNCTION_TIMEOUT_SECONDS, max_polls=MAX_POLLS
                ) as driver,
            ):
                backend = moto_redshift_serverless.get_backend(DEFAULT_ACCOUNT_ID, REGION)
                soak = Soak(backend, driver, collector=collector, concurrent_races=concurrent_races)
                soak.seed_foreign_objects()
                _configure_faults(faults, seed)

                for index, operation in enumerate(operations):
                    try:
                        soak.apply(operation)
                    except DriverError as exc:
                        # After crhelper's own timeout answer a real Lambda is stopped; here the
                        # handler runs on and answers again, which only repeats that violation.
                        invariant = (
                            "deadline" if "Execution timed out" in str(exc) else "one-response"
                        )
                        soak.problems.append((invariant, f"{operation}: {exc}"))
                    result.operations_applied += 1
                    result.violations += soak.step_violations(index)
                    if progress is not None:
                        progress(index + 1, result)
                    if result.violations and stop_at_first:
                        break
                else:
                    soak.settle()
                    result.violations += soak.final_violations()
                result.outcomes = soak.outcomes
                result.calls = _call_counts()
        finally:
            root.removeHandler(collector)
            moto_redshift_serverless.reset()
            cached_client.cache_clear()
    return result


def _call_counts() -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in moto_redshift_serverless.call_log.records:
        counts["calls"] += 1
        if record.error_code is not None:
            counts[record.error_code] += 1
    return counts
