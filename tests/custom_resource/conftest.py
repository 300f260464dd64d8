"""Fixtures of the custom resource tests: the CloudFormation driver, a stack and namespaces."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.cfn_driver import CloudFormationDriver, Stack

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

    from moto_redshift_serverless import RedshiftServerlessBackend

SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/redshift-scheduler"
DESTINATION_REGION = "eu-central-1"
LISTENER_MARKER = "Managed by serverless-snapshot-schedule; owner=listener; copy=none"


def scheduled_action(client: RedshiftServerlessClient, name: str) -> dict[str, Any] | None:
    """The scheduled action called ``name``, None when there is none."""
    try:
        return dict(client.get_scheduled_action(scheduledActionName=name)["scheduledAction"])
    except client.exceptions.ResourceNotFoundException:
        return None


def copy_regions(client: RedshiftServerlessClient, namespace_name: str) -> list[str]:
    """Destination regions of the namespace's copy configurations."""
    response = client.list_snapshot_copy_configurations(namespaceName=namespace_name)
    return [c["destinationRegion"] for c in response["snapshotCopyConfigurations"]]


def listener_schedule(client: RedshiftServerlessClient, namespace_name: str) -> None:
    """The schedule the event listener makes for a namespace, without a copy configuration."""
    client.create_scheduled_action(
        scheduledActionName=f"snapshot-{namespace_name}",
        namespaceName=namespace_name,
        roleArn=SCHEDULER_ROLE_ARN,
        schedule={"cron": "cron(0 0,8,16 * * ? *)"},
        targetAction={
            "createSnapshot": {
                "namespaceName": namespace_name,
                "snapshotNamePrefix": namespace_name,
            }
        },
        scheduledActionDescription=LISTENER_MARKER,
    )


@pytest.fixture
def function_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The function's environment as the template sets it, with short waits for tests."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ROLE_ARN", SCHEDULER_ROLE_ARN)
    monkeypatch.setenv("DEST_REGION", DESTINATION_REGION)
    monkeypatch.setenv("WAIT_INTERVAL_SECONDS", "0.01")
    for name in ("SCHED", "RETENTION_PERIOD", "DEST_KMS_KEY_ID", "COPY_RETENTION_PERIOD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cfn(
    emulator: RedshiftServerlessBackend, function_environment: None
) -> Iterator[CloudFormationDriver]:
    """A local CloudFormation talking to the custom resource handler, inside mock_aws."""
    with CloudFormationDriver(timeout_seconds=30.0, max_polls=10) as driver:
        yield driver


@pytest.fixture
def stack(cfn: CloudFormationDriver) -> Stack:
    return Stack(cfn, "orders-stack")


@pytest.fixture
def make_namespace(redshift_serverless: RedshiftServerlessClient) -> Callable[[str], str]:
    """Create a namespace in the emulator and return its name."""

    def make(name: str) -> str:
        redshift_serverless.create_namespace(namespaceName=name)
        return name

    return make
