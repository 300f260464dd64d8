"""The sweep: list everything once, plan what is missing, then act on the plan.

`collect_listings` reads the account-wide lists (paginated), `plan_sweep` turns them into a plan
without touching AWS (so a command line can print and reuse it), and `run_sweep` carries the plan
out with a bounded thread pool, stopping before the deadline and saying how much remains.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from custom_resource.aws import (
    ScheduledActionRef,
    iter_namespaces,
    iter_scheduled_action_refs,
    iter_snapshot_copy_configurations,
)
from custom_resource.errors import OwnershipError, SnapshotScheduleError
from custom_resource.reconcile import KnownState, ensure_schedule
from custom_resource.spec import Defaults, Owner, derive_scheduled_action_name, parse_marker
from event_listener.awscalls import namespace_status, scheduled_action_names, wrap_client_error
from event_listener.removal import remove_for_deleted_namespace
from event_listener.tags import build_namespace_spec, read_tag_settings, tags_from_api

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

COUNT_NAMES = (
    "covered",
    "created",
    "repaired",
    "pruned",
    "skipped_opt_out",
    "left_alone",
    "no_workgroup",
    "not_available",
    "failed",
    "remaining",
)

StepAction = Literal["create", "repair", "prune"]
Outcome = Literal[
    "created",
    "repaired",
    "pruned",
    "covered",
    "skipped_opt_out",
    "left_alone",
    "failed",
    "remaining",
]


@dataclass(frozen=True)
class SweepOptions:
    """What a sweep may do beyond covering namespaces that lack a schedule."""

    dry_run: bool = False
    repair: bool = False
    prune: bool = False


@dataclass(frozen=True)
class SweepListings:
    """The account-wide listings a plan is made from (each list fully paginated)."""

    namespaces: Sequence[Mapping[str, Any]]
    scheduled_actions: Sequence[ScheduledActionRef]
    snapshot_copy_configurations: Sequence[Mapping[str, Any]]
    workgroups: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class SweepStep:
    """One thing to do to one namespace."""

    action: StepAction
    namespace_name: str
    scheduled_action_name: str
    namespace_arn: str | None = None
    # What the listings said of the namespace, so a create step does not read it again.
    known: KnownState | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "namespace_name": self.namespace_name,
            "scheduled_action_name": self.scheduled_action_name,
        }


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep will do, and what it saw that needs nothing (or cannot be helped)."""

    steps: tuple[SweepStep, ...]
    covered: tuple[str, ...]
    not_available: tuple[str, ...]
    no_workgroup: tuple[str, ...]
    orphaned_scheduled_actions: tuple[str, ...]
    orphaned_snapshot_copy_configurations: tuple[str, ...]
    # Filled in by a dry run only, once it has read the tags: create steps opted out by tag.
    skipped_opt_out: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready rendering, for the invocation result and the command line."""
        return {
            "steps": [step.to_dict() for step in self.steps],
            "covered": list(self.covered),
            "not_available": list(self.not_available),
            "no_workgroup": list(self.no_workgroup),
            "orphaned_scheduled_actions": list(self.orphaned_scheduled_actions),
            "orphaned_snapshot_copy_configurations": list(
                self.orphaned_snapshot_copy_configurations
            ),
            "skipped_opt_out": list(self.skipped_opt_out),
        }


@dataclass
class SweepReport:
    """What a sweep did: counts plus the details worth reading."""

    counts: dict[str, int]
    failures: list[dict[str, str]] = field(default_factory=list)
    tag_problems: list[dict[str, Any]] = field(default_factory=list)
    no_workgroup: list[str] = field(default_factory=list)
    plan: SweepPlan | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "counts": dict(self.counts),
            "failures": list(self.failures),
            "tag_problems": list(self.tag_problems),
            "no_workgroup": list(self.no_workgroup),
        }
        if self.plan is not None:
            result["plan"] = self.plan.to_dict()
        return result


def sweep(
    client: RedshiftServerlessClient,
    defaults: Defaults,
    options: SweepOptions,
    *,
    opt_out_tag: str,
    concurrency: int = 4,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """List, plan and act; log one summary line and return the same summary.

    Raises AwsError if a listing fails; a failure on one namespace is counted, not raised.
    """
    listings = collect_listings(client)
    plan = plan_sweep(listings, repair=options.repair, prune=options.prune)
    if plan.no_workgroup:
        logger.warning(
            "%d namespace(s) have no workgroup, so their scheduled snapshots will fail: %s",
            len(plan.no_workgroup),
            ", ".join(plan.no_workgroup[:20]) + (", ..." if len(plan.no_workgroup) > 20 else ""),
            extra={"action": "sweep"},
        )

    report = run_sweep(
        client,
        plan,
        defaults,
        opt_out_tag=opt_out_tag,
        dry_run=options.dry_run,
        concurrency=concurrency,
        deadline=deadline,
        clock=clock,
    )

    # "created" is a LogRecord attribute, so the counts travel under one key.
    summary = " ".join(f"{name}={report.counts[name]}" for name in COUNT_NAMES)
    logger.info(
        "Sweep %s: %s",
        "planned (dry run)" if options.dry_run else "finished",
        summary,
        extra={"action": "sweep", "dry_run": options.dry_run, "counts": report.counts},
    )
    return {"event": "sweep", "options": asdict(options)} | report.to_dict()


def collect_listings(client: RedshiftServerlessClient) -> SweepListings:
    """Read namespaces, scheduled actions, copy configurations and workgroups, account-wide.

    One paginated list per kind. Only when the service answers ListScheduledActions in its older
    shape (names without namespaces) is each action read once to learn its namespace.
    Raises AwsError if a list fails.
    """
    namespaces = list(iter_namespaces(client))
    scheduled_actions = [_resolve(client, ref) for ref in iter_scheduled_action_refs(client)]
    copy_configurations = list(iter_snapshot_copy_configurations(client))
    workgroups = list(_iter_workgroups(client))

    return SweepListings(namespaces, scheduled_actions, copy_configurations, workgroups)


def plan_sweep(listings: SweepListings, *, repair: bool = False, prune: bool = False) -> SweepPlan:
    """Decide what a sweep does, from the listings alone (pure; no AWS call).

    - an AVAILABLE namespace without any scheduled action gets a `create` step;
    - with `repair`, an AVAILABLE namespace holding an action under the tool's derived name gets
      a `repair` step (the step checks that the listener owns it before touching it);
    - a namespace that needs a step but is not AVAILABLE is listed as `not_available`;
    - with `prune`, a scheduled action whose namespace is gone gets a `prune` step (the step
      removes it only if the tool owns it).
    Steps are ordered create, repair, prune, each by namespace name.
    """
    namespaces = {str(namespace["namespaceName"]): namespace for namespace in listings.namespaces}
    actions_by_namespace: dict[str, list[str]] = {}
    for ref in listings.scheduled_actions:
        if ref.namespace_name is not None:
            actions_by_namespace.setdefault(ref.namespace_name, []).append(
                ref.scheduled_action_name
            )
    with_workgroup = {str(workgroup.get("namespaceName")) for workgroup in listings.workgroups}
    copies_by_namespace: dict[str, list[dict[str, Any]]] = {}
    for configuration in listings.snapshot_copy_configurations:
        copies_by_namespace.setdefault(str(configuration.get("namespaceName")), []).append(
            dict(configuration)
        )

    creates: list[SweepStep] = []
    repairs: list[SweepStep] = []
    covered: list[str] = []
    not_available: list[str] = []
    for name in sorted(namespaces):
        namespace = namespaces[name]
        arn = namespace.get("namespaceArn")
        derived = derive_scheduled_action_name(name)
        actions = actions_by_namespace.get(name, [])

        if not actions:
            if namespace.get("status") == "AVAILABLE":
                known = KnownState(None, tuple(copies_by_namespace.get(name, ())))
                creates.append(SweepStep("create", name, derived, arn, known))
            else:
                not_available.append(name)
        elif repair and derived in actions:
            if namespace.get("status") == "AVAILABLE":
                repairs.append(SweepStep("repair", name, derived, arn))
            else:
                not_available.append(name)
        else:
            covered.append(name)

    orphaned_actions = sorted(
        (namespace_name, action_name)
        for namespace_name, action_names in actions_by_namespace.items()
        if namespace_name not in namespaces
        for action_name in action_names
    )
    prunes = [SweepStep("prune", ns, action) for ns, action in orphaned_actions] if prune else []

    orphaned_copies = sorted(
        str(configuration.get("namespaceName"))
        for configuration in listings.snapshot_copy_configurations
        if configuration.get("namespaceName") not in namespaces
    )
    no_workgroup = [
        name
        for name in sorted(namespaces)
        if name not in with_workgroup and namespaces[name].get("status") != "DELETING"
    ]

    return SweepPlan(
        steps=tuple(creates + repairs + prunes),
        covered=tuple(covered),
        not_available=tuple(not_available),
        no_workgroup=tuple(no_workgroup),
        orphaned_scheduled_actions=tuple(action for _, action in orphaned_actions),
        orphaned_snapshot_copy_configurations=tuple(orphaned_copies),
    )


def run_sweep(
    client: RedshiftServerlessClient,
    plan: SweepPlan,
    defaults: Defaults,
    *,
    opt_out_tag: str,
    dry_run: bool = False,
    concurrency: int = 4,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> SweepReport:
    """Carry out a plan; with `dry_run`, write nothing and return the plan in the report.

    At most `concurrency` steps run at once. A step not started by `deadline` (a `clock()` value)
    is counted as remaining; the next sweep plans it again. Never raises for one namespace's
    failure: it is counted and reported.

    A dry run reads the tags of each `create` step (a read, never a write) so that its report
    says what the real run would: opted-out namespaces are counted as `skipped_opt_out` and
    dropped from the returned plan, tag problems are reported, and a namespace whose spec cannot
    be built is counted as `failed`; every other step is counted as `remaining`.
    """
    counts = dict.fromkeys(COUNT_NAMES, 0)
    counts["covered"] = len(plan.covered)
    counts["not_available"] = len(plan.not_available)
    counts["no_workgroup"] = len(plan.no_workgroup)
    report = SweepReport(counts, no_workgroup=list(plan.no_workgroup))

    def step_runner(step: SweepStep) -> tuple[SweepStep, Outcome, str | None, tuple[str, ...]]:
        if deadline is not None and clock() >= deadline:
            return step, "remaining", None, ()
        if dry_run:
            return _preview_step(client, step, defaults, opt_out_tag)
        return _run_step(client, step, defaults, opt_out_tag)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        outcomes = list(pool.map(step_runner, plan.steps))

    for step, outcome, error, problems in outcomes:
        if outcome in counts:
            counts[outcome] += 1
        if error is not None:
            report.failures.append({"namespace_name": step.namespace_name, "error": error})
        if problems:
            report.tag_problems.append(
                {"namespace_name": step.namespace_name, "problems": list(problems)}
            )

    if dry_run:
        opted_out = {step for step, outcome, _, _ in outcomes if outcome == "skipped_opt_out"}
        report.plan = replace(
            plan,
            steps=tuple(step for step in plan.steps if step not in opted_out),
            skipped_opt_out=tuple(step.namespace_name for step in plan.steps if step in opted_out),
        )
    return report


def _preview_step(
    client: RedshiftServerlessClient, step: SweepStep, defaults: Defaults, opt_out_tag: str
) -> tuple[SweepStep, Outcome, str | None, tuple[str, ...]]:
    """What a create step would meet, from read-only calls: opt-out, tag problems, a bad spec."""
    # NOTE: repair and prune steps are not previewed: whether the listener owns the action, or
    # the namespace is gone, is settled only when the step runs.
    if step.action != "create":
        return step, "remaining", None, ()

    try:
        settings = read_tag_settings(_namespace_tags(client, step), opt_out_tag)
        if settings.opted_out:
            return step, "skipped_opt_out", None, ()
        built = build_namespace_spec(
            step.namespace_name, defaults, settings, region=client.meta.region_name
        )
    except (SnapshotScheduleError, ClientError, BotoCoreError) as exc:
        return step, "failed", str(exc), ()
    return step, "remaining", None, built.problems


def _run_step(
    client: RedshiftServerlessClient, step: SweepStep, defaults: Defaults, opt_out_tag: str
) -> tuple[SweepStep, Outcome, str | None, tuple[str, ...]]:
    try:
        if step.action == "prune":
            return step, _prune(client, step), None, ()
        return _ensure(client, step, defaults, opt_out_tag)
    except (SnapshotScheduleError, ClientError, BotoCoreError) as exc:
        logger.error(
            "Sweep could not %s the schedule of namespace %s: %s",
            step.action,
            step.namespace_name,
            exc,
            extra={"namespace_name": step.namespace_name, "action": step.action},
        )
        return step, "failed", str(exc), ()


def _ensure(
    client: RedshiftServerlessClient, step: SweepStep, defaults: Defaults, opt_out_tag: str
) -> tuple[SweepStep, Outcome, str | None, tuple[str, ...]]:
    extra = {"namespace_name": step.namespace_name, "action": step.action}

    # A repair touches only what the listener made; a stack's or a person's action is theirs.
    if step.action == "repair" and not _owned_by_listener(client, step.scheduled_action_name):
        return step, "covered", None, ()

    settings = read_tag_settings(_namespace_tags(client, step), opt_out_tag)
    if settings.opted_out:
        logger.info(
            "Namespace %s is opted out by tag %s", step.namespace_name, opt_out_tag, extra=extra
        )
        return step, "skipped_opt_out", None, ()

    built = build_namespace_spec(
        step.namespace_name, defaults, settings, region=client.meta.region_name
    )
    for problem in built.problems:
        logger.warning(
            "Namespace %s: %s; using the defaults", step.namespace_name, problem, extra=extra
        )

    try:
        result = ensure_schedule(client, built.spec, known=step.known)
    except OwnershipError:
        # A stack (or anyone) gave the namespace a schedule after the listing: it is covered.
        if step.action != "create" or not scheduled_action_names(client, step.namespace_name):
            raise
        logger.info(
            "Namespace %s was given a scheduled action after the listing; nothing to do",
            step.namespace_name,
            extra=extra,
        )
        return step, "covered", None, built.problems
    changed = result.scheduled_action != "unchanged" or result.snapshot_copy_configuration not in (
        "unchanged",
        "absent",
    )
    if not changed:
        return step, "covered", None, built.problems

    logger.info(
        "Sweep %s the schedule of namespace %s (scheduled action %s, copy configuration %s)",
        "created" if step.action == "create" else "repaired",
        step.namespace_name,
        result.scheduled_action,
        result.snapshot_copy_configuration,
        extra=extra,
    )
    return step, "created" if step.action == "create" else "repaired", None, built.problems


def _prune(client: RedshiftServerlessClient, step: SweepStep) -> Outcome:
    # The namespaces were listed before the scheduled actions: a namespace made (with its
    # schedule) between the two lists looks orphaned. Only one that is gone, or on its way out
    # (the rule DeleteNamespace follows), loses its schedule.
    status = namespace_status(client, step.namespace_name)
    if status is not None and status != "DELETING":
        logger.info(
            "Namespace %s exists (%s); leaving its scheduled action %s alone",
            step.namespace_name,
            status,
            step.scheduled_action_name,
            extra={"namespace_name": step.namespace_name, "action": "prune"},
        )
        return "covered"

    result = remove_for_deleted_namespace(client, step.namespace_name, step.scheduled_action_name)
    if result.scheduled_action != "deleted":
        return "left_alone"

    logger.info(
        "Sweep pruned scheduled action %s of deleted namespace %s",
        step.scheduled_action_name,
        step.namespace_name,
        extra={"namespace_name": step.namespace_name, "action": "prune"},
    )
    return "pruned"


def _owned_by_listener(client: RedshiftServerlessClient, scheduled_action_name: str) -> bool:
    response = _get_scheduled_action(client, scheduled_action_name)
    description = response["scheduledAction"].get("scheduledActionDescription")
    marker = parse_marker(description)
    return marker is not None and marker.owner == Owner.listener().value


def _namespace_tags(client: RedshiftServerlessClient, step: SweepStep) -> dict[str, str]:
    if step.namespace_arn is None:
        return {}
    try:
        response = client.list_tags_for_resource(resourceArn=step.namespace_arn)
    except ClientError as exc:
        raise wrap_client_error(
            exc, "ListTagsForResource", f"namespace {step.namespace_name!r}"
        ) from exc
    return tags_from_api(response.get("tags", []))


def _resolve(client: RedshiftServerlessClient, ref: ScheduledActionRef) -> ScheduledActionRef:
    if ref.namespace_name is not None:
        return ref
    response = _get_scheduled_action(client, ref.scheduled_action_name)
    namespace_name = response["scheduledAction"].get("namespaceName")
    return ScheduledActionRef(namespace_name, ref.scheduled_action_name)


def _get_scheduled_action(client: RedshiftServerlessClient, name: str) -> dict[str, Any]:
    try:
        response = client.get_scheduled_action(scheduledActionName=name)
    except ClientError as exc:
        raise wrap_client_error(exc, "GetScheduledAction", f"scheduled action {name!r}") from exc
    return dict(response)


def _iter_workgroups(client: RedshiftServerlessClient) -> Iterable[Mapping[str, Any]]:
    try:
        for page in client.get_paginator("list_workgroups").paginate():
            yield from page.get("workgroups", [])
    except ClientError as exc:
        raise wrap_client_error(exc, "ListWorkgroups", "the region") from exc
