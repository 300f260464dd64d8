"""Removing what the tool owns for a namespace that no longer exists."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from custom_resource.aws import iter_snapshot_copy_configurations
from custom_resource.reconcile import RemoveResult, remove_schedule
from custom_resource.spec import parse_marker
from event_listener.awscalls import NOT_FOUND, error_code, wrap_client_error

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)


def remove_for_deleted_namespace(
    client: RedshiftServerlessClient, namespace_name: str, scheduled_action_name: str
) -> RemoveResult:
    """Remove a scheduled action of a deleted namespace, and its copy configuration, if the
    tool (any owner) made them. Foreign actions are kept; absent is success. Raises AwsError.

    A copy configuration may outlive its namespace, where listing by namespace no longer works,
    so it is looked up in the account-wide list as well.
    """
    copy_region = _marked_copy_region(client, scheduled_action_name, namespace_name)
    result = remove_schedule(client, namespace_name, scheduled_action_name)
    if result.scheduled_action != "deleted" or copy_region is None:
        return result
    if result.snapshot_copy_configuration == "deleted":
        return result

    leftovers = [
        configuration
        for configuration in iter_snapshot_copy_configurations(client)
        if configuration.get("namespaceName") == namespace_name
        and configuration.get("destinationRegion") == copy_region
    ]
    deleted = False
    for configuration in leftovers:
        deleted = _delete_copy(client, namespace_name, configuration["snapshotCopyConfigurationId"])
    if not deleted:
        return result
    return dataclasses.replace(result, snapshot_copy_configuration="deleted")


def _marked_copy_region(
    client: RedshiftServerlessClient, scheduled_action_name: str, namespace_name: str
) -> str | None:
    """The copy region the tool's marker names on this action, or None."""
    try:
        response = client.get_scheduled_action(scheduledActionName=scheduled_action_name)
    except ClientError as exc:
        if error_code(exc) == NOT_FOUND:
            return None
        raise wrap_client_error(
            exc, "GetScheduledAction", f"scheduled action {scheduled_action_name!r}"
        ) from exc

    action = response["scheduledAction"]
    marker = parse_marker(action.get("scheduledActionDescription"))
    if marker is None or action.get("namespaceName") != namespace_name:
        return None
    return marker.copy_region


def _delete_copy(
    client: RedshiftServerlessClient, namespace_name: str, configuration_id: str
) -> bool:
    try:
        client.delete_snapshot_copy_configuration(snapshotCopyConfigurationId=configuration_id)
    except ClientError as exc:
        if error_code(exc) == NOT_FOUND:
            return False
        raise wrap_client_error(
            exc, "DeleteSnapshotCopyConfiguration", f"namespace {namespace_name!r}"
        ) from exc

    logger.info(
        "Deleted snapshot copy configuration %s of deleted namespace %s",
        configuration_id,
        namespace_name,
        extra={
            "namespace_name": namespace_name,
            "action": "deleted",
            "object_id": configuration_id,
        },
    )
    return True
