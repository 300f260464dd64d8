"""Make one namespace's scheduled action and snapshot copy configuration match a spec.

Every function here is safe to run again after a crash at any point: writes are ordered so the
ownership marker always names the copy configuration the tool owns, and nothing without the
marker is ever updated or deleted.

A namespace copies to one region, yet may briefly have two of the tool's actions: a replacement
that renames the action creates the new one before CloudFormation's cleanup deletes the old one.
So a copy configuration another action of the namespace names is the spec's when the spec's
owner may manage that action (another owner's blocks ensure_schedule), and remove_schedule keeps
a copy configuration another of the tool's actions still names.

The listener and a stack may race on one namespace. A copy configuration that looks foreign is
refused only after the spec's action was read again (a bounded number of times) and still does
not name it: the other writer may have created both since the first read. Taking another
owner's action over first makes it the spec's owner's while it still names the old copy region,
and only then lists the copy configurations, so one the previous owner creates meanwhile is
converged rather than left without an action naming it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from botocore.exceptions import ClientError

from custom_resource.aws import (
    error_code,
    is_role_not_yet_assumable,
    iter_scheduled_action_refs,
    iter_snapshot_copy_configurations,
    wrap_client_error,
)
from custom_resource.cron import parse_cron
from custom_resource.errors import (
    AwsError,
    NamespaceNotFound,
    NamespaceNotReady,
    OutOfTime,
    OwnershipError,
    SpecError,
)
from custom_resource.spec import (
    LISTENER_OWNER,
    SCHEDULED_ACTION_NAME,
    Marker,
    Owner,
    ScheduleSpec,
    parse_marker,
)

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

ScheduledActionOutcome = Literal["created", "updated", "unchanged", "adopted"]
CopyOutcome = Literal["created", "updated", "unchanged", "replaced", "deleted", "absent"]
Sleep = Callable[[float], None]
T = TypeVar("T")

# A freshly created role is refused for a few seconds; 2+4+8+16 s stays well under a minute.
ROLE_RETRY_DELAYS = (2.0, 4.0, 8.0, 16.0)
KNOWN_STATUSES = frozenset({"AVAILABLE", "MODIFYING", "DELETING"})
_NOT_FOUND = "ResourceNotFoundException"
# How often a copy configuration that looks foreign makes the spec's action be read again.
_OWNERSHIP_REREADS = 2


@dataclass(frozen=True)
class EnsureResult:
    """What ensure_schedule did to each object, and when the schedule fires next."""

    scheduled_action: ScheduledActionOutcome
    snapshot_copy_configuration: CopyOutcome
    scheduled_action_name: str
    snapshot_copy_configuration_id: str | None
    next_invocations: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class KnownState:
    """What a caller has just listed about one namespace, so ensure_schedule need not read it
    again: the spec's scheduled action (None: absent) and the namespace's copy configurations.

    Stale knowledge is safe: a create that meets an existing action re-reads and converges.
    """

    scheduled_action: dict[str, Any] | None
    snapshot_copy_configurations: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class RemoveResult:
    """What remove_schedule did. An action ``kept`` exists but is not the tool's (or not this
    owner's); a copy configuration ``kept`` is still named by another of the namespace's actions."""

    scheduled_action: Literal["deleted", "absent", "kept"]
    snapshot_copy_configuration: Literal["deleted", "absent", "kept"]
    owner: str | None = None


def ensure_schedule(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    *,
    sleep: Sleep = time.sleep,
    now: datetime | None = None,
    known: KnownState | None = None,
    deadline: float | None = None,
) -> EnsureResult:
    """Create or repair the spec's scheduled action and copy configuration; idempotent.

    A second run with the same spec makes no write. ``known`` spares the reads of what the
    caller has just listed (a sweep). The next invocations are the service's when it reports
    them, otherwise computed offline as of ``now``. No retry sleeps past ``deadline`` (a
    time.monotonic() value). Raises OwnershipError when an object in the way belongs to someone
    else (no marker, another stack, another namespace), SpecError when the destination is the
    source region, NamespaceNotFound, OutOfTime when a retry would pass the deadline, and
    AwsError for other failures.
    """
    if deadline is not None:
        sleep = _within(deadline, sleep)
    region = client.meta.region_name
    if spec.destination_region is not None and spec.destination_region == region:
        raise SpecError(
            "destination_region", spec.destination_region, f"a region other than {region}"
        )

    try:
        return _ensure(client, spec, sleep, adopting=False, now=now, known=known)
    except _ActionAppeared:
        # Someone created the action between our Get and Create: look again and converge.
        return _ensure(client, spec, sleep, adopting=True, now=now)


def remove_schedule(
    client: RedshiftServerlessClient,
    namespace_name: str,
    scheduled_action_name: str,
    *,
    owner: Owner | None = None,
) -> RemoveResult:
    """Delete the namespace's scheduled action and copy configuration if the tool owns them.

    With ``owner`` given, only an action carrying that owner counts as the tool's. A foreign
    action, another owner's, or one serving another namespace is left alone (``kept``). The copy
    configuration the marker names is deleted unless another of the tool's actions of the
    namespace names it too (``kept``); it is found even after the namespace was deleted.
    Not-found, and a name no action can have, are success, so the call is idempotent.
    Raises AwsError.
    """
    # An id the tool never made (e.g. after a failed Create) cannot name an action at all.
    if not SCHEDULED_ACTION_NAME.match(scheduled_action_name):
        return RemoveResult(scheduled_action="absent", snapshot_copy_configuration="absent")

    remote = _get_scheduled_action(client, scheduled_action_name)
    if remote is None:
        return RemoveResult(scheduled_action="absent", snapshot_copy_configuration="absent")

    marker = parse_marker(remote.get("scheduledActionDescription"))
    theirs = marker is None or (owner is not None and marker.owner != owner.value)
    if theirs or remote.get("namespaceName") != namespace_name:
        logger.info(
            "Left scheduled action %s alone: not owned by %s for namespace %s",
            scheduled_action_name,
            owner.value if owner else "this tool",
            namespace_name,
            extra=_extra(namespace_name, "kept", "scheduled_action", scheduled_action_name),
        )
        return RemoveResult(
            scheduled_action="kept",
            snapshot_copy_configuration="absent",
            owner=marker.owner if marker else None,
        )
    assert marker is not None  # noqa: S101 - theirs is False

    # The copy configuration goes first, while the marker still names it.
    copy_outcome: Literal["deleted", "absent", "kept"] = "absent"
    owned = _owned_copies(client, namespace_name, marker)
    if owned and _named_by_another_action(client, namespace_name, scheduled_action_name, marker):
        copy_outcome = "kept"
        configuration_id = str(owned[0]["snapshotCopyConfigurationId"])
        logger.info(
            "Kept snapshot copy configuration %s of namespace %s: another of the tool's "
            "scheduled actions names it",
            configuration_id,
            namespace_name,
            extra=_extra(namespace_name, "kept", "snapshot_copy_configuration", configuration_id),
        )
        owned = []
    for configuration in owned:
        if _delete_copy(client, namespace_name, configuration):
            copy_outcome = "deleted"

    try:
        client.delete_scheduled_action(scheduledActionName=scheduled_action_name)
    except ClientError as exc:
        if error_code(exc) != _NOT_FOUND:
            raise wrap_client_error(
                exc, "DeleteScheduledAction", f"scheduled action {scheduled_action_name!r}"
            ) from exc
        return RemoveResult("absent", copy_outcome, marker.owner)

    logger.info(
        "Deleted scheduled action %s of namespace %s",
        scheduled_action_name,
        namespace_name,
        extra=_extra(namespace_name, "deleted", "scheduled_action", scheduled_action_name),
    )
    return RemoveResult("deleted", copy_outcome, marker.owner)


def release_unnamed_copy(
    client: RedshiftServerlessClient, spec: ScheduleSpec, result: EnsureResult
) -> bool:
    """Delete the copy configuration ensure_schedule just created for ``spec`` if the spec's
    action no longer names its region: another owner took the action over meanwhile and
    declared another copy, and a copy configuration no action names would block every later
    writer of the namespace. Returns whether it deleted. Raises AwsError.
    """
    created = result.snapshot_copy_configuration in ("created", "replaced")
    if not created or result.snapshot_copy_configuration_id is None:
        return False

    remote = _get_scheduled_action(client, spec.scheduled_action_name)
    marker = parse_marker(remote.get("scheduledActionDescription")) if remote else None
    if marker is not None and marker.copy_region == spec.destination_region:
        return False
    ours = Marker(owner=spec.owner.value, copy_region=spec.destination_region)
    if _named_by_another_action(client, spec.namespace_name, spec.scheduled_action_name, ours):
        return False

    configuration = {
        "snapshotCopyConfigurationId": result.snapshot_copy_configuration_id,
        "destinationRegion": spec.destination_region,
    }
    logger.info(
        "Scheduled action %s of namespace %s no longer names copy region %s: removing the copy "
        "configuration just created there",
        spec.scheduled_action_name,
        spec.namespace_name,
        spec.destination_region,
        extra=_extra(
            spec.namespace_name,
            "released",
            "snapshot_copy_configuration",
            result.snapshot_copy_configuration_id,
        ),
    )
    return _delete_copy(client, spec.namespace_name, configuration)


def restore_scheduled_action(
    client: RedshiftServerlessClient, previous: Mapping[str, Any], *, taken_by: Owner
) -> bool:
    """Put a scheduled action back as ``previous`` (a GetScheduledAction answer) describes it:
    schedule, role, target, state and description, so its ownership marker too.

    Writes only while the action carries ``taken_by``'s marker, so an action nobody took over,
    or one another writer has changed since, is left alone. Returns whether it wrote; a missing
    action is not an error. Raises AwsError.
    """
    name = str(previous["scheduledActionName"])
    current = _get_scheduled_action(client, name)
    marker = parse_marker(current.get("scheduledActionDescription")) if current else None
    if marker is None or marker.owner != taken_by.value:
        return False

    request: dict[str, Any] = {
        "scheduledActionName": name,
        "schedule": previous["schedule"],
        "roleArn": previous["roleArn"],
        "targetAction": previous["targetAction"],
        "enabled": previous.get("state") != "DISABLED",
        "scheduledActionDescription": previous.get("scheduledActionDescription") or "",
    }
    try:
        client.update_scheduled_action(**request)
    except ClientError as exc:
        if error_code(exc) == _NOT_FOUND:
            return False
        raise wrap_client_error(exc, "UpdateScheduledAction", f"scheduled action {name!r}") from exc

    logger.info(
        "Restored scheduled action %s of namespace %s as it was before %s took it over",
        name,
        previous.get("namespaceName"),
        taken_by.value,
        extra=_extra(str(previous.get("namespaceName")), "restored", "scheduled_action", name),
    )
    return True


def wait_until_available(
    client: RedshiftServerlessClient,
    namespace_name: str,
    *,
    attempts: int = 20,
    interval: float = 30.0,
    deadline: float | None = None,
    sleep: Sleep = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Poll GetNamespace until the namespace is AVAILABLE and return it.

    Checks at most ``attempts`` times, ``interval`` seconds apart, and never sleeps past
    ``deadline`` (a ``clock()`` value). Statuses outside the documented enum are logged and
    waited on. Raises NamespaceNotFound when the namespace is missing or being deleted,
    NamespaceNotReady when attempts or time run out, AwsError for other failures.
    """
    status: str | None = None
    seen_unknown: set[str] = set()
    for attempt in range(1, attempts + 1):
        namespace = _get_namespace(client, namespace_name)
        status = namespace.get("status")
        if status == "AVAILABLE":
            return namespace
        if status == "DELETING":
            raise NamespaceNotFound(namespace_name, "is being deleted")
        if status not in KNOWN_STATUSES and str(status) not in seen_unknown:
            seen_unknown.add(str(status))
            logger.warning(
                "Namespace %s reports undocumented status %s; waiting for AVAILABLE",
                namespace_name,
                status,
                extra={"namespace_name": namespace_name, "status": status},
            )

        if attempt == attempts:
            break
        if deadline is not None and clock() + interval > deadline:
            raise NamespaceNotReady(namespace_name, status, attempt)
        sleep(interval)
    raise NamespaceNotReady(namespace_name, status, attempts)


def _within(deadline: float, sleep: Sleep) -> Sleep:
    """``sleep`` that raises OutOfTime instead of sleeping past ``deadline``."""

    def bounded(seconds: float) -> None:
        if time.monotonic() + seconds > deadline:
            raise OutOfTime(
                f"Out of time: the next retry, in {seconds:g} s, would pass the Lambda "
                "deadline (see the function's log for what was being retried)"
            )
        sleep(seconds)

    return bounded


class _ActionAppeared(Exception):
    """CreateScheduledAction answered ConflictException."""


def _ensure(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    sleep: Sleep,
    *,
    adopting: bool,
    now: datetime | None,
    known: KnownState | None = None,
) -> EnsureResult:
    name = spec.scheduled_action_name

    # Read everything (unless the caller just listed it) and settle ownership before writing.
    if known is None:
        remote = _get_scheduled_action(client, name)
        configurations = _list_copies(client, spec.namespace_name)
    else:
        remote = known.scheduled_action
        configurations = list(known.snapshot_copy_configurations)
    remote, marker, owned = _settle_ownership(client, spec, remote, configurations)

    if remote is not None and marker is not None and marker.owner != spec.owner.value:
        # Take the action over before touching copies, so its marker names them throughout.
        remote, owned = _take_over_action(client, spec, remote, marker, owned, sleep)

    keep = [c for c in owned if _copy_matches_target(c, spec)]
    replaced = False
    for configuration in owned:
        if configuration not in keep:
            _delete_copy(client, spec.namespace_name, configuration)
            replaced = True

    if remote is None:
        action = _create_action(client, spec, sleep)
        action_outcome: ScheduledActionOutcome = "created"
    else:
        assert marker is not None  # noqa: S101 - _check_ownership returns it
        taking_over = marker.owner != spec.owner.value
        updated = _update_action(client, spec, remote, sleep)
        action = updated or remote
        if taking_over and marker.copy_region not in (None, spec.destination_region):
            replaced = _delete_late_copies(client, spec, marker) or replaced
        if taking_over or adopting:
            action_outcome = "adopted"
        else:
            action_outcome = "updated" if updated is not None else "unchanged"

    try:
        copy_outcome, copy_id = _converge_copy(client, spec, keep[0] if keep else None, replaced)
    except AwsError:
        if not keep and spec.destination_region is not None:
            _unclaim_copy(client, spec, action, sleep)
        raise
    return EnsureResult(
        scheduled_action=action_outcome,
        snapshot_copy_configuration=copy_outcome,
        scheduled_action_name=name,
        snapshot_copy_configuration_id=copy_id,
        next_invocations=_next_invocations(spec, action, now),
    )


def _delete_late_copies(
    client: RedshiftServerlessClient, spec: ScheduleSpec, previous: Marker
) -> bool:
    """Delete copy configurations to the region the previous owner's marker named that it
    created after the take-over listed them: now that the marker names the spec's region, no
    action would name them. Returns whether it deleted any."""
    late = [c for c in _list_copies(client, spec.namespace_name) if _owns(previous, c)]
    if not late or _named_by_another_action(
        client, spec.namespace_name, spec.scheduled_action_name, previous
    ):
        return False
    return any([_delete_copy(client, spec.namespace_name, c) for c in late])


def _unclaim_copy(
    client: RedshiftServerlessClient, spec: ScheduleSpec, action: dict[str, Any], sleep: Sleep
) -> None:
    """After the spec's copy configuration could not be created, make the action's marker name
    no copy region, so that one someone else creates there later is not taken for the tool's.
    Best effort: a failure is logged, never raised over the original one."""
    try:
        _update_action(client, replace(spec, destination_region=None), action, sleep)
    except AwsError as exc:
        # NOTE: the marker then names a region without the tool's copy configuration; a copy
        # made there by hand before the next ensure is taken for the tool's.
        logger.warning(
            "Scheduled action %s still names copy region %s, where no copy configuration was "
            "created: %s",
            spec.scheduled_action_name,
            spec.destination_region,
            exc,
            extra=_extra(
                spec.namespace_name, "failed", "scheduled_action", spec.scheduled_action_name
            ),
        )


def _settle_ownership(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    remote: dict[str, Any] | None,
    configurations: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, Marker | None, list[dict[str, Any]]]:
    """The spec's action, its marker and the copy configurations the spec's owner may manage.
    Raises OwnershipError when a foreign one is in the way.

    A configuration that looks foreign may be another writer's whose action was created after
    ``remote`` was read: the action is read again (a bounded number of times) before refusing.
    """
    for reread in range(_OWNERSHIP_REREADS + 1):
        marker = _check_ownership(remote, spec) if remote is not None else None
        owned = [c for c in configurations if _owns(marker, c)]
        foreign = [c for c in configurations if c not in owned]
        if spec.destination_region is None or not foreign:
            return remote, marker, owned

        owned += _copies_owned_by_siblings(client, spec, foreign)
        foreign = [c for c in foreign if c not in owned]
        if not foreign or reread == _OWNERSHIP_REREADS:
            break

        fresh = _get_scheduled_action(client, spec.scheduled_action_name)
        if _same_owner_and_copy(fresh, remote):
            break
        remote = fresh
        configurations = _list_copies(client, spec.namespace_name)

    _check_foreign_copies(spec, foreign)
    return remote, marker, owned


def _same_owner_and_copy(fresh: dict[str, Any] | None, remote: dict[str, Any] | None) -> bool:
    """Whether a re-read action says the same as the first read about who owns which copy."""
    if fresh is None or remote is None:
        return fresh is remote
    return parse_marker(fresh.get("scheduledActionDescription")) == parse_marker(
        remote.get("scheduledActionDescription")
    ) and fresh.get("namespaceName") == remote.get("namespaceName")


def _take_over_action(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    remote: dict[str, Any],
    marker: Marker,
    owned: list[dict[str, Any]],
    sleep: Sleep,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Make another owner's action the spec's, still naming the copy region it named, and return
    it with the copy configurations it owns, listed after the write.

    The previous owner may create the copy configuration its marker named at any time before
    the marker changes; listing after the write finds it named by the spec's owner, so it is
    converged rather than left behind unnamed. The marker names the spec's region only after
    that (in the update that follows, once the copy configurations are settled).
    """
    # NOTE: a previous owner that creates its copy configuration after the listing below is
    # caught twice: _ensure lists again once the marker names the spec's region and deletes it,
    # and the listener, once it has created one, checks the marker still names it
    # (release_unnamed_copy). Created after both, it makes the spec's copy creation conflict.
    interim = replace(spec, destination_region=marker.copy_region)
    remote = _update_action(client, interim, remote, sleep) or remote

    taken = Marker(owner=spec.owner.value, copy_region=marker.copy_region)
    known_ids = {c.get("snapshotCopyConfigurationId") for c in owned}
    configurations = _list_copies(client, spec.namespace_name)
    mine = [
        c
        for c in configurations
        if _owns(taken, c) or c.get("snapshotCopyConfigurationId") in known_ids
    ]
    _check_foreign_copies(spec, [c for c in configurations if c not in mine])
    return remote, mine


def _next_invocations(
    spec: ScheduleSpec, action: dict[str, Any], now: datetime | None
) -> list[datetime]:
    """The service's next invocations (they honour its clock, state and time window); the
    schedule's own when it reports none."""
    reported = [
        moment for moment in action.get("nextInvocations") or [] if isinstance(moment, datetime)
    ]
    if reported:
        return [moment.astimezone(UTC) for moment in sorted(reported)[:3]]
    return spec.schedule.next_invocations(now or datetime.now(UTC), 3)


def _check_ownership(remote: dict[str, Any], spec: ScheduleSpec) -> Marker:
    """The action's marker when the spec's owner may manage it; raises OwnershipError."""
    name = spec.scheduled_action_name
    marker = parse_marker(remote.get("scheduledActionDescription"))
    if marker is None:
        raise OwnershipError(
            f"Scheduled action {name!r} already exists and was not created by "
            "serverless-snapshot-schedule (its description has no ownership marker); "
            "delete it or choose another ScheduledActionName",
            owner="foreign",
        )
    if not _may_manage(spec, marker.owner):
        raise OwnershipError(
            f"Scheduled action {name!r} is managed by {marker.owner}; one namespace can have "
            "only one declared schedule",
            owner=marker.owner,
        )
    if remote.get("namespaceName") != spec.namespace_name:
        raise OwnershipError(
            f"Scheduled action {name!r} already serves namespace "
            f"{remote.get('namespaceName')!r}; choose another ScheduledActionName",
            owner=marker.owner,
        )
    return marker


def _owns(marker: Marker | None, configuration: dict[str, Any]) -> bool:
    return marker is not None and configuration.get("destinationRegion") == marker.copy_region


def _may_manage(spec: ScheduleSpec, owner: str) -> bool:
    """Whether the spec's owner may manage what ``owner`` made: its own, or (a stack) the
    listener's."""
    return owner == spec.owner.value or (owner == LISTENER_OWNER and not spec.owner.is_listener)


def _copies_owned_by_siblings(
    client: RedshiftServerlessClient, spec: ScheduleSpec, foreign: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The configurations among ``foreign`` that another action of the namespace, managed by the
    spec's owner, names (as after a rename). Raises OwnershipError when another owner's does."""
    claims = {str(c.get("destinationRegion")): c for c in foreign}
    adopted: list[dict[str, Any]] = []
    for sibling, marker in _sibling_markers(
        client, spec.namespace_name, spec.scheduled_action_name
    ):
        configuration = claims.pop(str(marker.copy_region), None)
        if configuration is None:
            continue
        if not _may_manage(spec, marker.owner):
            raise OwnershipError(
                f"Namespace {spec.namespace_name!r} already copies snapshots to "
                f"{configuration.get('destinationRegion')} (copy configuration "
                f"{configuration.get('snapshotCopyConfigurationId')}) for scheduled action "
                f"{sibling!r}, managed by {marker.owner}; one namespace copies to one region",
                owner=marker.owner,
            )
        adopted.append(configuration)
        if not claims:
            break
    return adopted


def _named_by_another_action(
    client: RedshiftServerlessClient,
    namespace_name: str,
    scheduled_action_name: str,
    marker: Marker,
) -> bool:
    """Whether another of the tool's actions of the namespace names the marker's copy region."""
    return any(
        other.copy_region == marker.copy_region
        for _, other in _sibling_markers(client, namespace_name, scheduled_action_name)
    )


def _sibling_markers(
    client: RedshiftServerlessClient, namespace_name: str, scheduled_action_name: str
) -> Iterator[tuple[str, Marker]]:
    """The tool's other scheduled actions of the namespace that name a copy region, with their
    markers; read lazily, one GetScheduledAction per action."""
    for name in _namespace_action_names(client, namespace_name):
        if name == scheduled_action_name:
            continue
        remote = _get_scheduled_action(client, name)
        if remote is None or remote.get("namespaceName") != namespace_name:
            continue
        marker = parse_marker(remote.get("scheduledActionDescription"))
        if marker is not None and marker.copy_region is not None:
            yield name, marker


def _namespace_action_names(client: RedshiftServerlessClient, namespace_name: str) -> list[str]:
    """The names of the namespace's scheduled actions, also after the namespace was deleted."""
    try:
        return [
            ref.scheduled_action_name for ref in iter_scheduled_action_refs(client, namespace_name)
        ]
    except AwsError as exc:
        if exc.code != _NOT_FOUND:
            raise
    # NOTE: entries of the older list shape name no namespace; a deleted namespace's actions
    # are then not found here, and its copy configuration is removed with the first of them.
    return [
        ref.scheduled_action_name
        for ref in iter_scheduled_action_refs(client)
        if ref.namespace_name == namespace_name
    ]


def _check_foreign_copies(spec: ScheduleSpec, foreign: list[dict[str, Any]]) -> None:
    """A namespace copies to one region: a configuration the tool does not own blocks ours."""
    # NOTE: a matching configuration the tool did not create is not adopted either: adopting it
    # would let a later removal delete something the tool never made.
    if spec.destination_region is None or not foreign:
        return
    other = foreign[0]
    raise OwnershipError(
        f"Namespace {spec.namespace_name!r} already copies snapshots to "
        f"{other.get('destinationRegion')} (copy configuration "
        f"{other.get('snapshotCopyConfigurationId')}) and serverless-snapshot-schedule did not "
        "create it; delete it or set the destination region to none",
        owner="foreign",
    )


def _copy_matches_target(configuration: dict[str, Any], spec: ScheduleSpec) -> bool:
    """Same region and KMS key: retention alone can be updated in place."""
    return configuration.get("destinationRegion") == spec.destination_region and (
        configuration.get("destinationKmsKeyId") or None
    ) == (spec.destination_kms_key_id or None)


def _create_action(
    client: RedshiftServerlessClient, spec: ScheduleSpec, sleep: Sleep
) -> dict[str, Any]:
    """Create the spec's scheduled action and return it as the service describes it."""
    request: dict[str, Any] = {
        "scheduledActionName": spec.scheduled_action_name,
        "namespaceName": spec.namespace_name,
        "roleArn": spec.role_arn,
        "schedule": spec.schedule.to_api(),
        "targetAction": _target_action(spec),
        "enabled": spec.enabled,
        "scheduledActionDescription": spec.description(),
    }
    try:
        response = _with_role_retry(lambda: client.create_scheduled_action(**request), spec, sleep)
    except ClientError as exc:
        if error_code(exc) == "ConflictException":
            raise _ActionAppeared from exc
        if error_code(exc) == _NOT_FOUND:
            raise NamespaceNotFound(spec.namespace_name) from exc
        raise _action_error(exc, "CreateScheduledAction", spec) from exc

    logger.info(
        "Created scheduled action %s for namespace %s",
        spec.scheduled_action_name,
        spec.namespace_name,
        extra=_extra(
            spec.namespace_name, "created", "scheduled_action", spec.scheduled_action_name
        ),
    )
    return dict(response["scheduledAction"])


def _update_action(
    client: RedshiftServerlessClient, spec: ScheduleSpec, remote: dict[str, Any], sleep: Sleep
) -> dict[str, Any] | None:
    """Send only the drifted fields; returns the updated action, or None when nothing drifted."""
    changes = _drift(spec, remote)
    if not changes:
        return None

    request = {"scheduledActionName": spec.scheduled_action_name, **changes}
    try:
        response = _with_role_retry(lambda: client.update_scheduled_action(**request), spec, sleep)
    except ClientError as exc:
        raise _action_error(exc, "UpdateScheduledAction", spec) from exc

    logger.info(
        "Updated scheduled action %s of namespace %s: %s",
        spec.scheduled_action_name,
        spec.namespace_name,
        ", ".join(sorted(changes)),
        extra=_extra(spec.namespace_name, "updated", "scheduled_action", spec.scheduled_action_name)
        | {"fields": sorted(changes)},
    )
    return dict(response["scheduledAction"])


def _drift(spec: ScheduleSpec, remote: dict[str, Any]) -> dict[str, Any]:
    """The UpdateScheduledAction fields whose remote value differs from the spec."""
    changes: dict[str, Any] = {}
    if not _same_schedule(spec, remote.get("schedule") or {}):
        changes["schedule"] = spec.schedule.to_api()
    if remote.get("roleArn") != spec.role_arn:
        changes["roleArn"] = spec.role_arn
    if (remote.get("state") != "DISABLED") != spec.enabled:
        changes["enabled"] = spec.enabled
    target = (remote.get("targetAction") or {}).get("createSnapshot") or {}
    wanted = _target_action(spec)["createSnapshot"]
    if any(target.get(key) != value for key, value in wanted.items()):
        changes["targetAction"] = _target_action(spec)
    if remote.get("scheduledActionDescription") != spec.description():
        changes["scheduledActionDescription"] = spec.description()
    return changes


def _same_schedule(spec: ScheduleSpec, schedule: dict[str, Any]) -> bool:
    """Compare parsed expressions, so the wrapping the service echoes back is not drift."""
    if spec.schedule.cron is not None:
        try:
            return parse_cron(str(schedule.get("cron", ""))) == spec.schedule.cron
        except SpecError:
            return False
    at = schedule.get("at")
    return isinstance(at, datetime) and at.astimezone(UTC) == spec.schedule.at


def _target_action(spec: ScheduleSpec) -> dict[str, Any]:
    return {
        "createSnapshot": {
            "namespaceName": spec.namespace_name,
            "snapshotNamePrefix": spec.snapshot_name_prefix,
            "retentionPeriod": spec.retention_period,
        }
    }


def _with_role_retry(call: Callable[[], T], spec: ScheduleSpec, sleep: Sleep) -> T:
    """Retry only the scheduler's refusal of a role it cannot assume yet, briefly."""
    for delay in ROLE_RETRY_DELAYS:
        try:
            return call()
        except ClientError as exc:
            if not is_role_not_yet_assumable(exc):
                raise
            logger.warning(
                "The scheduler cannot assume %s yet; retrying in %s s",
                spec.role_arn,
                delay,
                extra={"namespace_name": spec.namespace_name, "action": "retry"},
            )
            sleep(delay)
    return call()


def _converge_copy(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    current: dict[str, Any] | None,
    replaced: bool,
) -> tuple[CopyOutcome, str | None]:
    if spec.destination_region is None:
        return ("deleted" if replaced else "absent"), None

    if current is None:
        created = _create_copy(client, spec)
        outcome: CopyOutcome = "replaced" if replaced else "created"
        if created is None:  # a concurrent run created it: converge on that one
            current = next(
                c
                for c in _list_copies(client, spec.namespace_name)
                if _copy_matches_target(c, spec)
            )
        else:
            return outcome, created

    configuration_id = str(current["snapshotCopyConfigurationId"])
    if current.get("snapshotRetentionPeriod") == spec.copy_retention_period:
        return "unchanged", configuration_id

    try:
        client.update_snapshot_copy_configuration(
            snapshotCopyConfigurationId=configuration_id,
            snapshotRetentionPeriod=spec.copy_retention_period,
        )
    except ClientError as exc:
        raise wrap_client_error(
            exc, "UpdateSnapshotCopyConfiguration", f"namespace {spec.namespace_name!r}"
        ) from exc
    logger.info(
        "Updated snapshot copy configuration %s of namespace %s: retention %s days",
        configuration_id,
        spec.namespace_name,
        spec.copy_retention_period,
        extra=_extra(
            spec.namespace_name, "updated", "snapshot_copy_configuration", configuration_id
        ),
    )
    return "updated", configuration_id


def _create_copy(client: RedshiftServerlessClient, spec: ScheduleSpec) -> str | None:
    """Create the copy configuration; None when one appeared meanwhile (ConflictException)."""
    request: dict[str, Any] = {
        "namespaceName": spec.namespace_name,
        "destinationRegion": spec.destination_region,
        "snapshotRetentionPeriod": spec.copy_retention_period,
    }
    if spec.destination_kms_key_id:
        request["destinationKmsKeyId"] = spec.destination_kms_key_id
    try:
        response = client.create_snapshot_copy_configuration(**request)
    except ClientError as exc:
        if error_code(exc) == "ConflictException" and any(
            _copy_matches_target(c, spec) for c in _list_copies(client, spec.namespace_name)
        ):
            return None
        raise wrap_client_error(
            exc, "CreateSnapshotCopyConfiguration", f"namespace {spec.namespace_name!r}"
        ) from exc

    configuration_id = response["snapshotCopyConfiguration"]["snapshotCopyConfigurationId"]
    logger.info(
        "Created snapshot copy configuration %s of namespace %s to %s",
        configuration_id,
        spec.namespace_name,
        spec.destination_region,
        extra=_extra(
            spec.namespace_name, "created", "snapshot_copy_configuration", configuration_id
        ),
    )
    return configuration_id


def _delete_copy(
    client: RedshiftServerlessClient, namespace_name: str, configuration: dict[str, Any]
) -> bool:
    """Delete one copy configuration; False when it was already gone."""
    configuration_id = str(configuration["snapshotCopyConfigurationId"])
    try:
        client.delete_snapshot_copy_configuration(snapshotCopyConfigurationId=configuration_id)
    except ClientError as exc:
        if error_code(exc) == _NOT_FOUND:
            return False
        raise wrap_client_error(
            exc, "DeleteSnapshotCopyConfiguration", f"namespace {namespace_name!r}"
        ) from exc

    logger.info(
        "Deleted snapshot copy configuration %s of namespace %s to %s",
        configuration_id,
        namespace_name,
        configuration.get("destinationRegion"),
        extra=_extra(namespace_name, "deleted", "snapshot_copy_configuration", configuration_id),
    )
    return True


def _owned_copies(
    client: RedshiftServerlessClient, namespace_name: str, marker: Marker
) -> list[dict[str, Any]]:
    if marker.copy_region is None:
        return []
    return [c for c in _list_copies(client, namespace_name) if _owns(marker, c)]


def _list_copies(client: RedshiftServerlessClient, namespace_name: str) -> list[dict[str, Any]]:
    """The namespace's copy configurations, also those that outlived a deleted namespace."""
    try:
        return list(iter_snapshot_copy_configurations(client, namespace_name))
    except AwsError as exc:
        if exc.code != _NOT_FOUND:
            raise
    # A deleted namespace can no longer be listed by name; whether AWS keeps its copy
    # configurations is unverified, so look for them in the region's list.
    return [
        c
        for c in iter_snapshot_copy_configurations(client)
        if c.get("namespaceName") == namespace_name
    ]


def _get_scheduled_action(client: RedshiftServerlessClient, name: str) -> dict[str, Any] | None:
    try:
        response = client.get_scheduled_action(scheduledActionName=name)
    except ClientError as exc:
        if error_code(exc) == _NOT_FOUND:
            return None
        raise wrap_client_error(exc, "GetScheduledAction", f"scheduled action {name!r}") from exc
    return dict(response["scheduledAction"])


def _get_namespace(client: RedshiftServerlessClient, namespace_name: str) -> dict[str, Any]:
    try:
        response = client.get_namespace(namespaceName=namespace_name)
    except ClientError as exc:
        if error_code(exc) == _NOT_FOUND:
            raise NamespaceNotFound(namespace_name) from exc
        raise wrap_client_error(exc, "GetNamespace", f"namespace {namespace_name!r}") from exc
    return dict(response["namespace"])


def _action_error(exc: ClientError, operation: str, spec: ScheduleSpec) -> AwsError:
    error = wrap_client_error(exc, operation, f"scheduled action {spec.scheduled_action_name!r}")
    if is_role_not_yet_assumable(exc):
        return AwsError(
            f"{error}. Check that {spec.role_arn} exists and trusts "
            "scheduler.redshift.amazonaws.com",
            code=error.code,
            operation=operation,
        )
    return error


def _extra(namespace_name: str, action: str, kind: str, identifier: str) -> dict[str, Any]:
    return {
        "namespace_name": namespace_name,
        "action": action,
        "object": kind,
        "object_id": identifier,
    }
