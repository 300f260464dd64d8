"""Removing what the tool owns for a namespace that no longer exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from custom_resource.reconcile import RemoveResult, remove_schedule

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def remove_for_deleted_namespace(
    client: RedshiftServerlessClient, namespace_name: str, scheduled_action_name: str
) -> RemoveResult:
    """Remove a scheduled action of a deleted namespace, and its copy configuration, if the
    tool (any owner) made them. Foreign actions are kept; absent is success. Raises AwsError.

    The core finds a copy configuration that outlived its namespace as well, and keeps one that
    another of the tool's actions of the namespace still names.
    """
    return remove_schedule(client, namespace_name, scheduled_action_name)
