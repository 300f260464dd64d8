"""The client factory, pagination over both ListScheduledActions shapes, error wrapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import moto_redshift_serverless
from custom_resource.aws import (
    PAGE_SIZE,
    ScheduledActionRef,
    iter_namespaces,
    iter_scheduled_action_refs,
    iter_snapshot_copy_configurations,
    redshift_serverless_client,
)
from custom_resource.errors import AwsError
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.core.conftest import ROLE

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def create_actions(client: RedshiftServerlessClient, namespace_name: str, count: int) -> None:
    for index in range(count):
        client.create_scheduled_action(
            scheduledActionName=f"{namespace_name}-{index:03d}",
            namespaceName=namespace_name,
            roleArn=ROLE,
            schedule={"cron": "cron(0 3 * * ? *)"},
            targetAction={
                "createSnapshot": {"namespaceName": namespace_name, "snapshotNamePrefix": "s"}
            },
        )


def test_redshift_serverless_client_configures_retries_and_timeouts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given no endpoint override
    monkeypatch.delenv("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", raising=False)

    # when a client is made for a region
    client = redshift_serverless_client("eu-north-1")

    # then it uses standard retries, bounded timeouts and the regional endpoint
    config = client.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 8}
    assert (config.connect_timeout, config.read_timeout) == (5, 30)
    assert client.meta.region_name == "eu-north-1"
    assert client.meta.endpoint_url == "https://redshift-serverless.eu-north-1.amazonaws.com"


def test_redshift_serverless_client_honours_endpoint_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the service-specific endpoint variable
    monkeypatch.setenv("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "http://localhost:5000")

    # when clients are made with and without an explicit endpoint
    from_environment = redshift_serverless_client("eu-west-1")
    explicit = redshift_serverless_client("eu-west-1", endpoint_url="http://127.0.0.1:9000")

    # then the explicit one wins, the variable applies otherwise
    assert from_environment.meta.endpoint_url == "http://localhost:5000"
    assert explicit.meta.endpoint_url == "http://127.0.0.1:9000"


def test_iter_scheduled_action_refs_pages_through_objects(
    client: RedshiftServerlessClient, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given more actions than one page holds, in two namespaces
    for name in ("analytics", "sales"):
        redshift_serverless.create_namespace(namespaceName=name)
    create_actions(redshift_serverless, "analytics", PAGE_SIZE + 3)
    create_actions(redshift_serverless, "sales", 2)
    moto_redshift_serverless.call_log.clear()

    # when all of them, and one namespace's, are listed
    every = list(iter_scheduled_action_refs(client))
    sales = list(iter_scheduled_action_refs(client, "sales"))

    # then every page was read and each entry names its namespace
    assert len(every) == PAGE_SIZE + 5
    assert ScheduledActionRef("analytics", "analytics-102") in every
    assert sales == [
        ScheduledActionRef("sales", "sales-000"),
        ScheduledActionRef("sales", "sales-001"),
    ]
    assert moto_redshift_serverless.call_log.counts()["ListScheduledActions"] == 3


def test_iter_scheduled_action_refs_accepts_plain_names(
    client: RedshiftServerlessClient, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given a service answering with the older shape: plain names
    redshift_serverless.create_namespace(namespaceName="analytics")
    create_actions(redshift_serverless, "analytics", PAGE_SIZE + 1)
    moto_redshift_serverless.settings.legacy_list_scheduled_actions = True

    # when listed with and without a namespace filter
    every = list(iter_scheduled_action_refs(client))
    filtered = list(iter_scheduled_action_refs(client, "analytics"))

    # then names come through; the namespace is known only when filtered on
    assert len(every) == PAGE_SIZE + 1
    assert every[0] == ScheduledActionRef(None, "analytics-000")
    assert filtered[-1] == ScheduledActionRef("analytics", "analytics-100")


def test_iter_namespaces_and_copy_configurations_list_everything(
    client: RedshiftServerlessClient, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given two namespaces, one copying snapshots
    for name in ("analytics", "sales"):
        redshift_serverless.create_namespace(namespaceName=name)
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName="sales", destinationRegion="eu-central-1"
    )

    # when listed
    namespaces = [n["namespaceName"] for n in iter_namespaces(client)]
    copies = list(iter_snapshot_copy_configurations(client))

    # then both come back
    assert sorted(namespaces) == ["analytics", "sales"]
    assert [(c["namespaceName"], c["destinationRegion"]) for c in copies] == [
        ("sales", "eu-central-1")
    ]
    assert list(iter_snapshot_copy_configurations(client, "analytics")) == []


def test_iter_namespaces_wraps_errors_with_an_actionable_message(
    emulator: RedshiftServerlessBackend,
) -> None:
    # given a service that keeps throttling and a client that does not retry
    moto_redshift_serverless.faults.configure(rate_limit=0.001, burst=1)
    client = redshift_serverless_client("eu-west-1", max_attempts=1)
    list(iter_namespaces(client))

    # when namespaces are listed again
    with pytest.raises(AwsError) as raised:
        list(iter_namespaces(client))

    # then the error names the operation, the code and what to do
    assert raised.value.code == "ThrottlingException"
    assert raised.value.operation == "ListNamespaces"
    assert str(raised.value).startswith(
        "ListNamespaces failed for the region: ThrottlingException: "
    )
    assert str(raised.value).endswith(". Still throttled after retries; try again later")
