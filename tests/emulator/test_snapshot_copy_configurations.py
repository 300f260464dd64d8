"""Snapshot copy configurations: Create/Update/Delete/List."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from moto_redshift_serverless import RedshiftServerlessBackend
from moto_redshift_serverless.models import SnapshotCopyConfiguration

from .conftest import NAMESPACE

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def test_create_snapshot_copy_configuration_returns_it(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    configuration = redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2", snapshotRetentionPeriod=14
    )["snapshotCopyConfiguration"]

    # then
    assert configuration["namespaceName"] == NAMESPACE
    assert configuration["destinationRegion"] == "us-west-2"
    assert configuration["snapshotRetentionPeriod"] == 14
    assert configuration["snapshotCopyConfigurationArn"].endswith(
        configuration["snapshotCopyConfigurationId"]
    )


def test_create_snapshot_copy_configuration_second_region_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    first = redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )["snapshotCopyConfiguration"]

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion="us-east-1"
        )

    # then
    assert _error(raised) == (
        "ConflictException",
        f"Namespace {NAMESPACE} already has a snapshot copy configuration to us-west-2 "
        f"({first['snapshotCopyConfigurationId']}). A namespace copies snapshots to one "
        "destination region at a time.",
    )


def test_create_snapshot_copy_configuration_own_region_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion="eu-west-1"
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for destinationRegion: eu-west-1. The destination region must differ "
        "from the namespace's region.",
    )


@pytest.mark.parametrize("region", ["us-nowhere-1", "cn-north-1"])
def test_create_snapshot_copy_configuration_unknown_region_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any], region: str
) -> None:
    # when: a well-formed name that is no region, and a region of another partition
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion=region
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        f"Invalid value for destinationRegion: {region}. It is not a region of partition aws "
        "where Redshift Serverless is available.",
    )
    listed = redshift_serverless.list_snapshot_copy_configurations(namespaceName=NAMESPACE)
    assert listed["snapshotCopyConfigurations"] == []


def test_create_snapshot_after_unknown_region_was_refused_is_not_copied(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    with pytest.raises(ClientError):
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion="us-nowhere-1"
        )

    # when
    created = redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual")

    # then
    assert created["snapshot"]["snapshotName"] == "manual"
    listed = redshift_serverless.list_snapshots(namespaceName=NAMESPACE)["snapshots"]
    assert [s["snapshotName"] for s in listed] == ["manual"]


def test_create_snapshot_with_unreachable_copy_region_stores_nothing(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    workgroup: str,
) -> None:
    # given: a configuration stored past the API's region check
    stale = SnapshotCopyConfiguration(emulator, NAMESPACE, "us-nowhere-1", None, 7)
    emulator.snapshot_copy_configurations[stale.configuration_id] = stale

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual")

    # then: refused as a whole, the source snapshot included
    assert _error(raised) == (
        "ValidationException",
        f"Invalid value for destinationRegion: us-nowhere-1. Snapshot copy configuration "
        f"{stale.configuration_id} names a region without Redshift Serverless; delete it and "
        "create one for an available region.",
    )
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_create_snapshot_copy_configuration_bad_retention_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=NAMESPACE, destinationRegion="us-west-2", snapshotRetentionPeriod=0
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "Invalid value for snapshotRetentionPeriod: 0. Accepted values are -1 (retain "
        "indefinitely) or 1 to 3653 days.",
    )


def test_create_snapshot_copy_configuration_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName="missing", destinationRegion="us-west-2"
        )

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Namespace missing does not exist.")


def test_update_snapshot_copy_configuration_changes_only_retention(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    created = redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2", destinationKmsKeyId="key-1"
    )["snapshotCopyConfiguration"]

    # when
    updated = redshift_serverless.update_snapshot_copy_configuration(
        snapshotCopyConfigurationId=created["snapshotCopyConfigurationId"],
        snapshotRetentionPeriod=-1,
    )["snapshotCopyConfiguration"]

    # then
    assert updated == {**created, "snapshotRetentionPeriod": -1}


def test_update_snapshot_copy_configuration_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.update_snapshot_copy_configuration(
            snapshotCopyConfigurationId="missing", snapshotRetentionPeriod=3
        )

    # then
    assert _error(raised) == (
        "ResourceNotFoundException",
        "Snapshot copy configuration missing does not exist.",
    )


def test_delete_snapshot_copy_configuration_removes_it(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    created = redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )["snapshotCopyConfiguration"]

    # when
    deleted = redshift_serverless.delete_snapshot_copy_configuration(
        snapshotCopyConfigurationId=created["snapshotCopyConfigurationId"]
    )

    # then
    assert deleted["snapshotCopyConfiguration"] == created
    listed = redshift_serverless.list_snapshot_copy_configurations(namespaceName=NAMESPACE)
    assert listed["snapshotCopyConfigurations"] == []


def test_delete_snapshot_copy_configuration_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_snapshot_copy_configuration(
            snapshotCopyConfigurationId="missing"
        )

    # then
    assert _error(raised) == (
        "ResourceNotFoundException",
        "Snapshot copy configuration missing does not exist.",
    )


def test_list_snapshot_copy_configurations_filters_by_namespace(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_namespace(namespaceName="ns-two")
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName=NAMESPACE, destinationRegion="us-west-2"
    )
    redshift_serverless.create_snapshot_copy_configuration(
        namespaceName="ns-two", destinationRegion="us-east-1"
    )

    # when
    everything = redshift_serverless.list_snapshot_copy_configurations()
    filtered = redshift_serverless.list_snapshot_copy_configurations(namespaceName="ns-two")

    # then
    assert len(everything["snapshotCopyConfigurations"]) == 2
    assert [c["destinationRegion"] for c in filtered["snapshotCopyConfigurations"]] == ["us-east-1"]


def test_list_snapshot_copy_configurations_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_snapshot_copy_configurations(namespaceName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Namespace missing does not exist.")
