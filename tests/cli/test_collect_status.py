"""collect_status against the in-process emulator, where the clock can be moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import moto_redshift_serverless
from custom_resource.spec import Owner, marker_text
from snapshot_schedule_cli.status import collect_status

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

    from moto_redshift_serverless import RedshiftServerlessBackend

ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _protected_namespace(client: RedshiftServerlessClient, name: str) -> None:
    client.create_namespace(namespaceName=name)
    client.create_workgroup(workgroupName=f"{name}-wg", namespaceName=name)
    client.create_scheduled_action(
        scheduledActionName=f"snapshot-{name}",
        namespaceName=name,
        roleArn=ROLE_ARN,
        schedule={"cron": "cron(0 0,8,16 * * ? *)"},
        targetAction={
            "createSnapshot": {
                "namespaceName": name,
                "snapshotNamePrefix": name,
                "retentionPeriod": 3,
            }
        },
        scheduledActionDescription=marker_text(Owner.listener(), None),
    )


def test_collect_status_snapshot_overdue_once_runs_start_failing(
    emulator: RedshiftServerlessBackend, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a protected namespace that took snapshots for a day, then lost its workgroup
    moto_redshift_serverless.clock.freeze(START)
    _protected_namespace(redshift_serverless, "sales")
    moto_redshift_serverless.clock.advance(timedelta(days=1))
    healthy = collect_status(
        redshift_serverless, "eu-west-1", now=moto_redshift_serverless.clock.now()
    )
    redshift_serverless.delete_workgroup(workgroupName="sales-wg")

    # when another day passes and the status is read
    moto_redshift_serverless.clock.advance(timedelta(days=1))
    now = moto_redshift_serverless.clock.now()
    [row] = collect_status(redshift_serverless, "eu-west-1", now=now)

    # then it was protected with a fresh snapshot, and is now at risk for both reasons
    assert healthy[0].verdict == "protected"
    assert healthy[0].newest_snapshot == "sales-2026-03-03-08-00-00"
    assert row.verdict == "at risk"
    assert row.reasons == ("no workgroup", "snapshot overdue")
    assert row.newest_snapshot_time == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert row.snapshot_age(now) == timedelta(hours=25)
