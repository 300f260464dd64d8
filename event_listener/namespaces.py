"""What the listener does when a namespace is created or deleted.

Both are safe to repeat and to receive out of order: a second Create finds the namespace covered
and does nothing; a Create for a namespace that is gone does nothing; a Delete for a namespace
that exists again (re-created under the same name) leaves its schedule alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from custom_resource.aws import iter_scheduled_action_refs
from custom_resource.errors import (
    NamespaceNotFound,
    NamespaceNotReady,
    OwnershipError,
)
from custom_resource.reconcile import ensure_schedule, release_unnamed_copy, wait_until_available
from custom_resource.spec import derive_scheduled_action_name
from event_listener.awscalls import (
    namespace_status,
    scheduled_action_names,
    wrap_client_error,
)
from event_listener.config import ListenerConfig
from event_listener.removal import remove_for_deleted_namespace
from event_listener.tags import build_namespace_spec, read_tag_settings, tags_from_api

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)


def cover_new_namespace(
    client: RedshiftServerlessClient,
    namespace_name: str,
    config: ListenerConfig,
    *,
    deadline: float | None = None,
) -> dict[str, Any]:
    """Give a newly created namespace the default schedule, unless it needs none.

    Waits until the namespace is AVAILABLE (not past `deadline`, a time.monotonic() value), then
    does nothing if it already has any scheduled action or is opted out by tag; otherwise
    ensures the default spec with the namespace's tag overrides, retrying nothing past
    `deadline`. Idempotent. Returns the invocation result; raises SnapshotScheduleError when AWS
    fails or time runs out.
    """
    extra = {"namespace_name": namespace_name, "action": "create"}
    result: dict[str, Any] = {"event": "CreateNamespace", "namespace_name": namespace_name}

    try:
        namespace = wait_until_available(
            client,
            namespace_name,
            attempts=config.wait_attempts,
            interval=config.wait_interval_seconds,
            deadline=deadline,
        )
    except NamespaceNotFound:
        logger.info("Namespace %s no longer exists; nothing to do", namespace_name, extra=extra)
        return result | {"outcome": "gone"}
    except NamespaceNotReady as exc:
        logger.warning(
            "Namespace %s is not AVAILABLE in time (%s); the next sweep will cover it",
            namespace_name,
            exc.status,
            extra=extra,
        )
        return result | {"outcome": "not_ready", "namespace_status": exc.status}

    existing = [
        ref.scheduled_action_name for ref in iter_scheduled_action_refs(client, namespace_name)
    ]
    if existing:
        logger.info(
            "Namespace %s already has scheduled action(s) %s; nothing to do",
            namespace_name,
            ", ".join(sorted(existing)),
            extra=extra,
        )
        return result | {"outcome": "covered", "scheduled_actions": sorted(existing)}

    settings = read_tag_settings(_tags(client, namespace), config.opt_out_tag)
    if settings.opted_out:
        logger.info(
            "Namespace %s is opted out by tag %s=off",
            namespace_name,
            config.opt_out_tag,
            extra=extra,
        )
        return result | {"outcome": "skipped_opt_out"}

    built = build_namespace_spec(
        namespace_name, config.defaults, settings, region=client.meta.region_name
    )
    for problem in built.problems:
        logger.warning("Namespace %s: %s; using the defaults", namespace_name, problem, extra=extra)

    try:
        ensured = ensure_schedule(client, built.spec, deadline=deadline)
    except NamespaceNotFound:
        logger.info(
            "Namespace %s was deleted meanwhile; nothing to do", namespace_name, extra=extra
        )
        return result | {"outcome": "gone"}
    except OwnershipError as exc:
        # A stack (or anyone) gave the namespace a schedule while this one was being made.
        appeared = scheduled_action_names(client, namespace_name)
        if not appeared:
            raise
        logger.info(
            "Namespace %s was given scheduled action(s) %s meanwhile (owner %s); nothing to do",
            namespace_name,
            ", ".join(sorted(appeared)),
            exc.owner,
            extra=extra,
        )
        return result | {"outcome": "covered", "scheduled_actions": sorted(appeared)}

    # A stack may have taken the action over, declaring another copy region, between this
    # ensure's reads and its copy creation: then the copy just made is nobody's.
    copy_outcome = (
        "released"
        if release_unnamed_copy(client, built.spec, ensured)
        else ensured.snapshot_copy_configuration
    )

    logger.info(
        "Namespace %s covered: scheduled action %s %s, copy configuration %s",
        namespace_name,
        ensured.scheduled_action_name,
        ensured.scheduled_action,
        copy_outcome,
        extra=extra,
    )
    return result | {
        # Not "created": another delivery or a sweep made the listener's action meanwhile.
        "outcome": "created" if ensured.scheduled_action == "created" else "covered",
        "scheduled_action_name": ensured.scheduled_action_name,
        "scheduled_action": ensured.scheduled_action,
        "snapshot_copy_configuration": copy_outcome,
        "next_invocations": [moment.isoformat() for moment in ensured.next_invocations],
        "tag_problems": list(built.problems),
    }


def clean_up_deleted_namespace(
    client: RedshiftServerlessClient, namespace_name: str
) -> dict[str, Any]:
    """Remove what the tool owns for a deleted namespace, whoever in the tool made it.

    Absent objects are fine; foreign scheduled actions are left alone. If the namespace exists
    again (and is not being deleted), nothing is removed: the event is stale. Idempotent.
    Returns the invocation result; raises SnapshotScheduleError when AWS fails.
    """
    extra = {"namespace_name": namespace_name, "action": "delete"}
    result: dict[str, Any] = {"event": "DeleteNamespace", "namespace_name": namespace_name}

    status = namespace_status(client, namespace_name)
    if status is not None and status != "DELETING":
        logger.info(
            "Namespace %s exists again (%s); leaving its schedule alone",
            namespace_name,
            status,
            extra=extra,
        )
        return result | {"outcome": "still_exists"}

    names = {derive_scheduled_action_name(namespace_name)}
    names.update(scheduled_action_names(client, namespace_name))

    removed: list[str] = []
    for name in sorted(names):
        outcome = remove_for_deleted_namespace(client, namespace_name, name)
        if outcome.scheduled_action == "deleted":
            removed.append(name)
            logger.info(
                "Removed scheduled action %s of deleted namespace %s (copy configuration %s)",
                name,
                namespace_name,
                outcome.snapshot_copy_configuration,
                extra=extra,
            )

    if not removed:
        logger.info("Namespace %s had nothing of the tool's to remove", namespace_name, extra=extra)
    return result | {"outcome": "removed" if removed else "absent", "removed": removed}


def _tags(client: RedshiftServerlessClient, namespace: dict[str, Any]) -> dict[str, str]:
    arn = namespace.get("namespaceArn")
    if not arn:
        return {}
    try:
        response = client.list_tags_for_resource(resourceArn=arn)
    except ClientError as exc:
        raise wrap_client_error(exc, "ListTagsForResource", f"resource {arn!r}") from exc
    return tags_from_api(response.get("tags", []))
