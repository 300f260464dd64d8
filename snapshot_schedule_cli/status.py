"""What protects each namespace, read from the API and judged: protected, unprotected, at risk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import ClientError

from custom_resource.aws import (
    iter_namespaces,
    iter_scheduled_action_refs,
    iter_snapshot_copy_configurations,
)
from custom_resource.cron import parse_cron
from custom_resource.errors import SpecError
from custom_resource.spec import Owner, parse_marker
from event_listener.tags import DEFAULT_OPT_OUT_TAG, read_tag_settings, tags_from_api

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

Verdict = Literal["protected", "unprotected", "at risk"]
# "unknown": the marker is the tool's but names an owner this version cannot read.
OwnerKind = Literal["stack", "listener", "unknown", "foreign", "none"]

DEFAULT_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class ActionView:
    """One scheduled action as the status needs it."""

    scheduled_action_name: str
    owner_kind: OwnerKind
    owner: str  # the marker's owner as written (stack/<name>/<logical-id>, listener, …)
    schedule: str
    state: str
    next_run: datetime | None
    retention_period: int | None


@dataclass(frozen=True)
class NamespaceStatus:
    """One row of the status table."""

    region: str
    namespace_name: str
    namespace_status: str
    workgroups: tuple[str, ...]
    opted_out: bool
    action: ActionView | None
    other_actions: int
    copy_region: str | None
    copy_retention_period: int | None
    newest_snapshot: str | None
    newest_snapshot_time: datetime | None
    verdict: Verdict
    reasons: tuple[str, ...] = field(default=())

    @property
    def counts(self) -> bool:
        """Whether this row decides the exit code (namespaces opted out by tag do not)."""
        return not self.opted_out

    def snapshot_age(self, now: datetime) -> timedelta | None:
        """How old the newest snapshot is at `now`; None without a snapshot."""
        if self.newest_snapshot_time is None:
            return None
        return now - self.newest_snapshot_time

    def to_json(self, now: datetime) -> dict[str, Any]:
        """A JSON-ready dict: times as ISO 8601 UTC, the age in seconds."""
        action = self.action
        age = self.snapshot_age(now)
        return {
            "region": self.region,
            "namespace_name": self.namespace_name,
            "namespace_status": self.namespace_status,
            "workgroups": list(self.workgroups),
            "opted_out": self.opted_out,
            "scheduled_action_name": action.scheduled_action_name if action else None,
            "owner_kind": action.owner_kind if action else "none",
            "owner": action.owner if action else None,
            "schedule": action.schedule if action else None,
            "state": action.state if action else None,
            "next_run": _iso(action.next_run) if action else None,
            "retention_period": action.retention_period if action else None,
            "other_scheduled_actions": self.other_actions,
            "copy_region": self.copy_region,
            "copy_retention_period": self.copy_retention_period,
            "newest_snapshot": self.newest_snapshot,
            "newest_snapshot_time": _iso(self.newest_snapshot_time),
            "newest_snapshot_age_seconds": int(age.total_seconds()) if age is not None else None,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }


def collect_status(
    client: RedshiftServerlessClient,
    region: str,
    *,
    now: datetime,
    opt_out_tag: str = DEFAULT_OPT_OUT_TAG,
    grace: timedelta = DEFAULT_GRACE,
) -> list[NamespaceStatus]:
    """Read every namespace of `region` and judge it at `now`. Read-only; sorted by name."""
    workgroups = _workgroups_by_namespace(client)
    actions = _actions_by_namespace(client)
    copies = {
        configuration["namespaceName"]: configuration
        for configuration in iter_snapshot_copy_configurations(client)
    }

    rows = []
    for namespace in iter_namespaces(client):
        namespace_name = namespace["namespaceName"]
        action, other_actions = _primary_action(actions.get(namespace_name, []))
        copy = copies.get(namespace_name)
        snapshot = _newest_snapshot(client, namespace_name)
        verdict, reasons = judge(
            action=action,
            has_workgroup=bool(workgroups.get(namespace_name)),
            newest_snapshot_time=snapshot[1] if snapshot else None,
            now=now,
            grace=grace,
        )
        rows.append(
            NamespaceStatus(
                region=region,
                namespace_name=namespace_name,
                namespace_status=str(namespace.get("status", "")),
                workgroups=tuple(sorted(workgroups.get(namespace_name, []))),
                opted_out=_opted_out(client, namespace.get("namespaceArn"), opt_out_tag),
                action=action,
                other_actions=other_actions,
                copy_region=copy.get("destinationRegion") if copy else None,
                copy_retention_period=copy.get("snapshotRetentionPeriod") if copy else None,
                newest_snapshot=snapshot[0] if snapshot else None,
                newest_snapshot_time=snapshot[1] if snapshot else None,
                verdict=verdict,
                reasons=reasons,
            )
        )
    return sorted(rows, key=lambda row: (row.region, row.namespace_name))


def judge(
    *,
    action: ActionView | None,
    has_workgroup: bool,
    newest_snapshot_time: datetime | None,
    now: datetime,
    grace: timedelta = DEFAULT_GRACE,
) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict on one namespace and why. Pure.

    Unprotected: no scheduled action. At risk: the action cannot or will not produce snapshots
    (no workgroup, disabled, a one-off schedule) or an invocation has passed, `grace` ago,
    without producing a snapshot newer than the newest one. Protected otherwise.
    """
    if action is None:
        return "unprotected", ("no scheduled action",)

    reasons = []
    if not has_workgroup:
        reasons.append("no workgroup")
    if action.state.upper() != "ACTIVE":
        reasons.append(action.state.lower() or "disabled")

    due = _first_invocation_after(action.schedule, newest_snapshot_time, now)
    if due == "one-off":
        reasons.append("one-off schedule")
    elif due == "unreadable":
        reasons.append("schedule not understood")
    elif isinstance(due, datetime) and due + grace < now:
        reasons.append("snapshot overdue")

    if reasons:
        return "at risk", tuple(reasons)
    return "protected", ()


def exit_code(rows: Iterable[NamespaceStatus]) -> int:
    """0 when every namespace not opted out is protected, 1 otherwise."""
    return 0 if all(row.verdict == "protected" for row in rows if row.counts) else 1


def _first_invocation_after(
    schedule: str, newest_snapshot_time: datetime | None, now: datetime
) -> datetime | Literal["one-off", "unreadable"] | None:
    if schedule.startswith("at("):
        return "one-off"

    try:
        cron = parse_cron(schedule)
    except SpecError:
        return "unreadable"

    # NOTE: without any snapshot there is no reference point: the API tells no creation time of
    # a scheduled action, so a schedule that has not fired yet cannot be told from one that
    # always fails. Such a namespace is judged by its workgroup and state only.
    if newest_snapshot_time is None:
        return None
    invocations = cron.next_invocations(newest_snapshot_time, 1)
    if not invocations or invocations[0] > now:
        return None
    return invocations[0]


def _workgroups_by_namespace(client: RedshiftServerlessClient) -> dict[str, list[str]]:
    workgroups: dict[str, list[str]] = {}
    for page in client.get_paginator("list_workgroups").paginate():
        for workgroup in page.get("workgroups", []):
            namespace_name = workgroup.get("namespaceName")
            if namespace_name:
                workgroups.setdefault(namespace_name, []).append(workgroup["workgroupName"])
    return workgroups


def _actions_by_namespace(client: RedshiftServerlessClient) -> dict[str, list[ActionView]]:
    actions: dict[str, list[ActionView]] = {}
    for ref in iter_scheduled_action_refs(client):
        try:
            response = client.get_scheduled_action(scheduledActionName=ref.scheduled_action_name)
        except ClientError as exc:
            # Deleted between the listing and the read: it protects nothing any more.
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                continue
            raise

        action = response["scheduledAction"]
        namespace_name = action.get("namespaceName") or ref.namespace_name
        if namespace_name:
            actions.setdefault(namespace_name, []).append(_action_view(action))
    return actions


def _action_view(action: Any) -> ActionView:
    marker = parse_marker(action.get("scheduledActionDescription"))
    owner_kind: OwnerKind
    if marker is None:
        owner_kind, owner = "foreign", "foreign"
    elif marker.owner == Owner.listener().value:
        owner_kind, owner = "listener", marker.owner
    elif stack_name(marker.owner) is not None:
        owner_kind, owner = "stack", marker.owner
    else:
        owner_kind, owner = "unknown", marker.owner

    create_snapshot = action.get("targetAction", {}).get("createSnapshot", {})
    next_invocations = sorted(action.get("nextInvocations") or [])
    return ActionView(
        scheduled_action_name=action["scheduledActionName"],
        owner_kind=owner_kind,
        owner=owner,
        schedule=_schedule_text(action.get("schedule", {})),
        state=str(action.get("state", "ACTIVE")),
        next_run=_utc(next_invocations[0]) if next_invocations else None,
        retention_period=create_snapshot.get("retentionPeriod"),
    )


def stack_name(owner: str) -> str | None:
    """The stack name of a `stack/<stack-name>/<logical-id>` owner; None for any other text."""
    kind, _, rest = owner.partition("/")
    name, _, logical_id = rest.partition("/")
    if kind != "stack" or not name or not logical_id or "/" in logical_id:
        return None
    return name


def _primary_action(actions: list[ActionView]) -> tuple[ActionView | None, int]:
    """The action that best protects a namespace (active, recurring, the tool's) + how many more."""
    if not actions:
        return None, 0

    def rank(action: ActionView) -> tuple[bool, bool, bool]:
        return (
            action.state.upper() != "ACTIVE",
            action.schedule.startswith("at("),
            action.owner_kind == "foreign",
        )

    ranked = sorted(actions, key=rank)
    return ranked[0], len(ranked) - 1


def _schedule_text(schedule: Any) -> str:
    if "cron" in schedule:
        try:
            return parse_cron(schedule["cron"]).expression
        except SpecError:
            return str(schedule["cron"])
    if "at" in schedule:
        return f"at({_iso(_utc(schedule['at']))})"
    return ""


def _newest_snapshot(
    client: RedshiftServerlessClient, namespace_name: str
) -> tuple[str, datetime] | None:
    newest: tuple[str, datetime] | None = None
    for snapshot in _iter_snapshots(client, namespace_name):
        created = snapshot.get("snapshotCreateTime")
        if created is None:
            continue
        created = _utc(created)
        if newest is None or created > newest[1]:
            newest = (snapshot.get("snapshotName", ""), created)
    return newest


def _iter_snapshots(client: RedshiftServerlessClient, namespace_name: str) -> Iterator[Any]:
    for page in client.get_paginator("list_snapshots").paginate(namespaceName=namespace_name):
        yield from page.get("snapshots", [])


def _opted_out(client: RedshiftServerlessClient, namespace_arn: str | None, tag_key: str) -> bool:
    if not namespace_arn:
        return False
    response = client.list_tags_for_resource(resourceArn=namespace_arn)
    return read_tag_settings(tags_from_api(response.get("tags", [])), tag_key).opted_out


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None
