"""Opaque nextTokens on every List, and fault injection seen through boto3's retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_redshift_serverless import RedshiftServerlessBackend, call_log, faults

from .conftest import NAMESPACE

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient
    from mypy_boto3_redshift_serverless.type_defs import PaginatorConfigTypeDef


def test_list_namespaces_pages_over_250(
    redshift_serverless: RedshiftServerlessClient, emulator: RedshiftServerlessBackend
) -> None:
    # given: created through the backend, which is what CreateNamespace calls
    names = [f"ns-{i:03d}" for i in range(250)]
    for name in names:
        emulator.create_namespace({"namespaceName": name})

    # when
    pages = list(redshift_serverless.get_paginator("list_namespaces").paginate())

    # then
    assert [len(page["namespaces"]) for page in pages] == [100, 100, 50]
    assert [n["namespaceName"] for page in pages for n in page["namespaces"]] == names


def test_list_namespaces_honours_max_results(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    for name in ("ns-a", "ns-b", "ns-c"):
        redshift_serverless.create_namespace(namespaceName=name)

    # when
    first = redshift_serverless.list_namespaces(maxResults=2)
    second = redshift_serverless.list_namespaces(maxResults=2, nextToken=first["nextToken"])

    # then
    assert [n["namespaceName"] for n in first["namespaces"]] == ["ns-a", "ns-b"]
    assert [n["namespaceName"] for n in second["namespaces"]] == ["ns-c"]
    assert "nextToken" not in second


def test_list_workgroups_snapshots_and_copy_configurations_page_with_small_max_results(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given: five namespaces, each with a workgroup, a snapshot and a copy configuration
    names = [f"ns-{i}" for i in range(5)]
    for name in names:
        redshift_serverless.create_namespace(namespaceName=name)
        redshift_serverless.create_workgroup(workgroupName=name, namespaceName=name)
        redshift_serverless.create_snapshot(namespaceName=name, snapshotName=name)
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=name, destinationRegion="us-west-2"
        )
    small: PaginatorConfigTypeDef = {"PageSize": 2}

    # when
    workgroups = list(
        redshift_serverless.get_paginator("list_workgroups").paginate(PaginationConfig=small)
    )
    snapshots = list(
        redshift_serverless.get_paginator("list_snapshots").paginate(PaginationConfig=small)
    )
    copies = list(
        redshift_serverless.get_paginator("list_snapshot_copy_configurations").paginate(
            PaginationConfig=small
        )
    )

    # then: three pages each, every item exactly once, no token after the last page
    assert [len(page["workgroups"]) for page in workgroups] == [2, 2, 1]
    assert [len(page["snapshots"]) for page in snapshots] == [2, 2, 1]
    assert [len(page["snapshotCopyConfigurations"]) for page in copies] == [2, 2, 1]
    assert [w["workgroupName"] for page in workgroups for w in page["workgroups"]] == names
    assert [s["snapshotName"] for page in snapshots for s in page["snapshots"]] == names
    copied = [c["namespaceName"] for page in copies for c in page["snapshotCopyConfigurations"]]
    assert sorted(copied) == names
    assert all("nextToken" not in pages[-1] for pages in (workgroups, snapshots, copies))


def test_list_scheduled_actions_bad_token_is_invalid_pagination(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_scheduled_actions(nextToken="not-a-token")

    # then
    assert raised.value.response["Error"]["Code"] == "InvalidPaginationException"
    assert raised.value.response["Error"]["Message"] == "Invalid nextToken: 'not-a-token'."


def test_list_snapshot_copy_configurations_token_of_other_listing_is_invalid(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    for name in ("ns-a", "ns-b"):
        redshift_serverless.create_namespace(namespaceName=name)
    token = redshift_serverless.list_namespaces(maxResults=1)["nextToken"]

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_snapshot_copy_configurations(nextToken=token)

    # then
    assert raised.value.response["Error"]["Code"] == "InvalidPaginationException"
    assert raised.value.response["Error"]["Message"] == f"Invalid nextToken: {token!r}."


@pytest.mark.parametrize("operation", ["list_namespaces", "list_workgroups", "list_snapshots"])
def test_list_bad_token_is_a_validation_error_where_the_model_has_no_pagination_error(
    redshift_serverless: RedshiftServerlessClient, operation: str
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        getattr(redshift_serverless, operation)(nextToken="not-a-token")

    # then
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == "Invalid nextToken: 'not-a-token'."


def test_internal_errors_are_retried_by_boto3_until_attempts_run_out(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given
    faults.configure(internal_error_rate=1.0, operations=["ListNamespaces"])

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_namespaces()

    # then
    assert raised.value.response["Error"]["Code"] == "InternalServerException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert call_log.counts()["ListNamespaces"] == 3


def test_throttling_is_retried_by_boto3_and_then_succeeds(
    redshift_serverless: RedshiftServerlessClient, emulator: RedshiftServerlessBackend
) -> None:
    # given: a bucket of one token refilling 4 times a second, drained; a patient client
    redshift_serverless.create_namespace(namespaceName=NAMESPACE)
    patient = boto3.client(
        "redshift-serverless",
        region_name="eu-west-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 10}),
    )
    faults.configure(rate_limit=4.0, burst=1, operations=["GetNamespace"])
    assert faults.fault_for("GetNamespace") is None
    call_log.clear()

    # when
    response = patient.get_namespace(namespaceName=NAMESPACE)

    # then
    assert response["namespace"]["namespaceName"] == NAMESPACE
    codes = [record.error_code for record in call_log.records]
    assert codes[0] == "ThrottlingException"
    assert codes[-1] is None
    assert set(codes[:-1]) == {"ThrottlingException"}
    assert response["ResponseMetadata"]["RetryAttempts"] == len(codes) - 1


def test_faults_are_off_by_default(redshift_serverless: RedshiftServerlessClient) -> None:
    # when
    for _ in range(20):
        redshift_serverless.list_namespaces()

    # then
    assert all(record.error_code is None for record in call_log.records)
    assert call_log.counts() == {"ListNamespaces": 20}


def test_fault_configure_rejects_bad_rate() -> None:
    # when
    with pytest.raises(ValueError, match=r"internal_error_rate must be in \[0, 1\], got 2"):
        faults.configure(internal_error_rate=2)


def test_fault_delay_stays_within_latency_and_jitter() -> None:
    # given
    faults.configure(latency=0.2, jitter=0.1, seed=7, operations=["GetNamespace"])

    # when
    delays = [faults.delay("GetNamespace") for _ in range(50)]
    untouched = faults.delay("ListNamespaces")

    # then
    assert all(0.2 <= delay <= 0.3 for delay in delays)
    assert len(set(delays)) > 1
    assert untouched == 0.0
    faults.reset()


def test_fault_rate_limit_empties_the_bucket_after_burst() -> None:
    # given: refilling so slowly that no token comes back during the test
    faults.configure(rate_limit=0.001, burst=3)

    # when
    answers = [faults.fault_for("ListNamespaces") for _ in range(5)]

    # then
    assert answers == [None, None, None, "ThrottlingException", "ThrottlingException"]
    faults.reset()
