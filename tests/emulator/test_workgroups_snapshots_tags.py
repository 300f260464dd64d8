"""Workgroups, snapshots and tags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from moto_redshift_serverless import clock

from .conftest import NAMESPACE, WORKGROUP

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient
    from mypy_boto3_redshift_serverless.type_defs import TagTypeDef


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def test_create_workgroup_ties_it_to_the_namespace(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    workgroup = redshift_serverless.create_workgroup(
        workgroupName=WORKGROUP, namespaceName=NAMESPACE, baseCapacity=32
    )["workgroup"]

    # then
    assert workgroup["namespaceName"] == NAMESPACE
    assert workgroup["status"] == "AVAILABLE"
    assert workgroup["baseCapacity"] == 32
    assert workgroup["endpoint"]["port"] == 5439


def test_create_workgroup_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_workgroup(workgroupName=WORKGROUP, namespaceName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Namespace missing does not exist.")


def test_create_workgroup_duplicate_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_workgroup(workgroupName=workgroup, namespaceName=NAMESPACE)

    # then
    assert _error(raised) == ("ConflictException", f"Workgroup {workgroup} already exists.")


def test_create_workgroup_second_on_namespace_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_workgroup(workgroupName="wg-two", namespaceName=NAMESPACE)

    # then
    assert _error(raised) == (
        "ConflictException",
        f"Namespace {NAMESPACE} is already associated with workgroup {workgroup}.",
    )


def test_get_and_list_workgroups(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    found = redshift_serverless.get_workgroup(workgroupName=workgroup)["workgroup"]
    listed = redshift_serverless.list_workgroups()["workgroups"]

    # then
    assert found["workgroupName"] == workgroup
    assert [w["workgroupName"] for w in listed] == [workgroup]


def test_get_workgroup_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_workgroup(workgroupName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Workgroup missing does not exist.")


def test_delete_workgroup_answers_deleting_then_it_is_gone(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    deleted = redshift_serverless.delete_workgroup(workgroupName=workgroup)["workgroup"]

    # then
    assert deleted["status"] == "DELETING"
    assert redshift_serverless.list_workgroups()["workgroups"] == []


def test_delete_workgroup_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_workgroup(workgroupName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Workgroup missing does not exist.")


def test_create_snapshot_get_list_delete(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    created = redshift_serverless.create_snapshot(
        namespaceName=NAMESPACE, snapshotName="manual-1", retentionPeriod=5
    )["snapshot"]
    found = redshift_serverless.get_snapshot(snapshotName="manual-1")["snapshot"]
    listed = redshift_serverless.list_snapshots(namespaceName=NAMESPACE)["snapshots"]
    deleted = redshift_serverless.delete_snapshot(snapshotName="manual-1")["snapshot"]

    # then
    assert created["status"] == "AVAILABLE"
    assert created["snapshotRetentionPeriod"] == 5
    assert found["snapshotArn"] == created["snapshotArn"]
    assert [s["snapshotName"] for s in listed] == ["manual-1"]
    assert deleted["snapshotName"] == "manual-1"
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_create_snapshot_without_workgroup_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual-1")

    # then
    assert _error(raised) == (
        "ValidationException",
        f"Failed to create snapshot: there isn't a workgroup created for the namespace "
        f"{NAMESPACE}.",
    )


def test_create_snapshot_unknown_namespace_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot(namespaceName="missing", snapshotName="manual-1")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Namespace missing does not exist.")
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_create_snapshot_duplicate_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual-1")

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual-1")

    # then
    assert _error(raised) == ("ConflictException", "Snapshot manual-1 already exists.")


def test_create_snapshot_over_50_tags_is_rejected(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    tags: list[TagTypeDef] = [{"key": f"k{i}", "value": "v"} for i in range(51)]

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_snapshot(
            namespaceName=NAMESPACE, snapshotName="manual-1", tags=tags
        )

    # then
    assert _error(raised) == ("TooManyTagsException", "A resource can have at most 50 tags.")
    assert redshift_serverless.list_snapshots()["snapshots"] == []


def test_get_snapshot_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_snapshot(snapshotName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Snapshot missing does not exist.")


def test_delete_snapshot_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_snapshot(snapshotName="missing")

    # then
    assert _error(raised) == ("ResourceNotFoundException", "Snapshot missing does not exist.")


def test_tag_resource_then_untag_and_list(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    arn = namespace["namespaceArn"]

    # when
    redshift_serverless.tag_resource(
        resourceArn=arn,
        tags=[{"key": "snapshot-schedule", "value": "off"}, {"key": "team", "value": "data"}],
    )
    redshift_serverless.untag_resource(resourceArn=arn, tagKeys=["team"])
    tags = redshift_serverless.list_tags_for_resource(resourceArn=arn)["tags"]

    # then
    assert tags == [{"key": "snapshot-schedule", "value": "off"}]


def test_tag_resource_over_50_tags_is_rejected(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    arn = namespace["namespaceArn"]
    tags: list[TagTypeDef] = [{"key": f"k{i}", "value": "v"} for i in range(51)]

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.tag_resource(resourceArn=arn, tags=tags)

    # then
    assert _error(raised) == (
        "TooManyTagsException",
        f"Resource {arn} would have 51 tags; the limit is 50.",
    )


_TAG_CALLS: dict[str, Callable[[RedshiftServerlessClient, str], object]] = {
    "tag": lambda c, arn: c.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}]),
    "untag": lambda c, arn: c.untag_resource(resourceArn=arn, tagKeys=["k"]),
    "list": lambda c, arn: c.list_tags_for_resource(resourceArn=arn),
}


@pytest.mark.parametrize("operation", sorted(_TAG_CALLS))
def test_tags_of_unknown_resource_are_not_found(
    redshift_serverless: RedshiftServerlessClient, operation: str
) -> None:
    # given
    arn = "arn:aws:redshift-serverless:eu-west-1:123456789012:namespace/missing"

    # when
    with pytest.raises(ClientError) as raised:
        _TAG_CALLS[operation](redshift_serverless, arn)

    # then
    assert _error(raised) == ("ResourceNotFoundException", f"Resource {arn} does not exist.")


def test_create_workgroup_model_constraints_are_enforced(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given a status the model's enum does not have
    target: Any = {"status": "SOMETIMES", "level": 50}

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_workgroup(
            workgroupName=WORKGROUP, namespaceName=NAMESPACE, pricePerformanceTarget=target
        )

    # then
    assert _error(raised) == (
        "ValidationException",
        "1 validation error detected: Value 'SOMETIMES' at 'pricePerformanceTarget.status' "
        "failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
    )
    assert redshift_serverless.list_workgroups()["workgroups"] == []


def test_delete_namespace_final_snapshot_is_kept(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    redshift_serverless.delete_namespace(
        namespaceName=NAMESPACE, finalSnapshotName="final", finalSnapshotRetentionPeriod=3
    )

    # then
    snapshot = redshift_serverless.get_snapshot(snapshotName="final")["snapshot"]
    assert snapshot["namespaceName"] == NAMESPACE
    assert snapshot["snapshotRetentionPeriod"] == 3


def test_list_snapshots_filters_by_time(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    clock.freeze(datetime(2030, 1, 1, tzinfo=UTC))
    redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="early")
    clock.advance(timedelta(days=1))
    redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="late")

    # when
    listed = redshift_serverless.list_snapshots(startTime=datetime(2030, 1, 1, 12, tzinfo=UTC))

    # then
    assert [s["snapshotName"] for s in listed["snapshots"]] == ["late"]


def test_list_snapshots_unknown_namespace_is_empty(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # given
    redshift_serverless.create_snapshot(namespaceName=NAMESPACE, snapshotName="manual-1")

    # when
    listed = redshift_serverless.list_snapshots(namespaceName="missing")

    # then: a filter that matches nothing, not ResourceNotFoundException (unverified)
    assert listed["snapshots"] == []
