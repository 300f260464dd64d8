"""Fixtures for the emulator's own tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

ROLE_ARN = "arn:aws:iam::123456789012:role/redshift-scheduler"
NAMESPACE = "ns-one"
WORKGROUP = "wg-one"


@pytest.fixture
def namespace(redshift_serverless: RedshiftServerlessClient) -> dict[str, Any]:
    """A namespace named ns-one, without a workgroup."""
    return dict(redshift_serverless.create_namespace(namespaceName=NAMESPACE)["namespace"])


@pytest.fixture
def workgroup(redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]) -> str:
    """A workgroup wg-one on namespace ns-one."""
    redshift_serverless.create_workgroup(workgroupName=WORKGROUP, namespaceName=NAMESPACE)
    return WORKGROUP


def scheduled_action_request(name: str = "snap-one", **overrides: Any) -> dict[str, Any]:
    """CreateScheduledAction arguments for a snapshot of ns-one every day at midnight."""
    request: dict[str, Any] = {
        "scheduledActionName": name,
        "namespaceName": NAMESPACE,
        "roleArn": ROLE_ARN,
        "schedule": {"cron": "cron(0 0 * * ? *)"},
        "targetAction": {
            "createSnapshot": {"namespaceName": NAMESPACE, "snapshotNamePrefix": "daily"}
        },
    }
    request.update(overrides)
    return request
