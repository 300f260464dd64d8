"""register(), reset() and isolation per account and region."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import backend_index

import moto_redshift_serverless
from moto_redshift_serverless import RedshiftServerlessBackend, call_log, clock, faults, settings

FAR_FUTURE = datetime(2190, 1, 1, tzinfo=UTC)

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def test_register_is_idempotent(emulator: RedshiftServerlessBackend) -> None:
    # when
    moto_redshift_serverless.register()
    moto_redshift_serverless.register()

    # then
    services = [service for service, _ in backend_index.backend_url_patterns]
    assert services.count(moto_redshift_serverless.SERVICE_NAME) == 1
    client = boto3.client("redshift-serverless", region_name="eu-west-1")
    assert client.list_namespaces()["namespaces"] == []


def test_namespaces_are_isolated_per_region(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    redshift_serverless.create_namespace(namespaceName="only-here")
    elsewhere = boto3.client("redshift-serverless", region_name="us-east-1")

    # when
    with pytest.raises(ClientError) as raised:
        elsewhere.get_namespace(namespaceName="only-here")

    # then
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert elsewhere.list_namespaces()["namespaces"] == []


def test_namespaces_are_isolated_per_account(
    redshift_serverless: RedshiftServerlessClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    redshift_serverless.create_namespace(namespaceName="only-here")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    other_account = boto3.client("redshift-serverless", region_name="eu-west-1")

    # when
    listed = other_account.list_namespaces()["namespaces"]
    created = other_account.create_namespace(namespaceName="only-here")["namespace"]

    # then
    assert listed == []
    assert ":111111111111:namespace/" in created["namespaceArn"]
    assert moto_redshift_serverless.get_backend("111111111111", "eu-west-1").namespaces


def test_call_log_records_operation_account_region_and_error(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    redshift_serverless.list_namespaces()
    with pytest.raises(ClientError):
        redshift_serverless.get_namespace(namespaceName="missing")

    # then
    records = [(r.operation, r.account_id, r.region, r.error_code) for r in call_log.records]
    assert records == [
        ("ListNamespaces", "123456789012", "eu-west-1", None),
        ("GetNamespace", "123456789012", "eu-west-1", "ResourceNotFoundException"),
    ]


def test_reset_restores_defaults(emulator: RedshiftServerlessBackend) -> None:
    # given
    clock.freeze(FAR_FUTURE)
    faults.configure(latency=1.0)
    settings.legacy_list_scheduled_actions = True
    settings.cron_wire_format = "bare"

    # when
    moto_redshift_serverless.reset()

    # then
    assert faults.delay("ListNamespaces") == 0.0
    assert settings.legacy_list_scheduled_actions is False
    assert settings.cron_wire_format is None
    assert call_log.records == []
    assert clock.now() < FAR_FUTURE


def test_clock_refuses_to_go_backwards() -> None:
    # when
    with pytest.raises(ValueError, match="the clock only moves forward"):
        clock.advance(-1)
