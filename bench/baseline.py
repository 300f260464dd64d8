"""A faithful model of the old tool's algorithm, the yardstick of the sweep and wait figures.

The old tool was one Lambda function with boto3's default client. Its backfill (`{}`):

1. one ``ListNamespaces`` call and one ``ListScheduledActions`` call, neither paginated, so it
   sees the first page (100 items by default) of each and nothing beyond;
2. for every namespace it saw whose scheduled action it did not see, in list order and one
   after another: ``CreateScheduledAction``, then ``CreateSnapshotCopyConfiguration``;
3. a failed call is logged and the loop goes on with the next namespace.

On a CreateNamespace event it checked the namespace's status up to 20 times, 30 s apart, before
creating the schedule. It relied on the SDK's default retries (legacy mode, 5 attempts) for
throttling. No concurrency, no tags, no ownership marker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

POLL_ATTEMPTS = 20
POLL_INTERVAL_SECONDS = 30.0
SCHEDULE = "cron(0 0,8,16 * * ? *)"


@dataclass
class BackfillResult:
    """What the old backfill did."""

    seen: int = 0
    created: int = 0
    errors: list[str] = field(default_factory=list)


def backfill(
    client: RedshiftServerlessClient, *, role_arn: str, destination_region: str
) -> BackfillResult:
    """The old tool's `{}` handler: cover every namespace it sees that lacks its action."""
    result = BackfillResult()
    namespaces = client.list_namespaces()["namespaces"]
    existing = {
        _action_name(entry) for entry in client.list_scheduled_actions()["scheduledActions"]
    }
    result.seen = len(namespaces)

    for namespace in namespaces:
        name = namespace["namespaceName"]
        if f"snapshot-{name}" in existing:
            continue
        try:
            _create_schedule(client, name, role_arn, destination_region)
        except ClientError as exc:
            logger.warning("Could not schedule snapshots of %s: %s", name, exc)
            result.errors.append(name)
            continue
        result.created += 1
    return result


def wait_then_schedule(
    client: RedshiftServerlessClient,
    namespace_name: str,
    *,
    role_arn: str,
    destination_region: str,
    sleep: Callable[[float], None],
) -> bool:
    """The old tool's CreateNamespace handler: poll every 30 s, then create the schedule."""
    for attempt in range(POLL_ATTEMPTS):
        status = client.get_namespace(namespaceName=namespace_name)["namespace"]["status"]
        if status == "AVAILABLE":
            _create_schedule(client, namespace_name, role_arn, destination_region)
            return True
        if attempt < POLL_ATTEMPTS - 1:
            sleep(POLL_INTERVAL_SECONDS)
    return False


def _create_schedule(
    client: RedshiftServerlessClient, name: str, role_arn: str, destination_region: str
) -> None:
    client.create_scheduled_action(
        scheduledActionName=f"snapshot-{name}",
        namespaceName=name,
        roleArn=role_arn,
        schedule={"cron": SCHEDULE},
        targetAction={
            "createSnapshot": {
                "namespaceName": name,
                "snapshotNamePrefix": name,
                "retentionPeriod": 7,
            }
        },
        enabled=True,
    )
    client.create_snapshot_copy_configuration(
        namespaceName=name, destinationRegion=destination_region, snapshotRetentionPeriod=7
    )


def _action_name(entry: Any) -> str:
    # Older botocore models answer plain names; newer ones objects.
    return entry if isinstance(entry, str) else str(entry["scheduledActionName"])
