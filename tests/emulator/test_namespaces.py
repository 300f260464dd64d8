"""Namespaces: Create/Get/List/Update/Delete and status holds."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from moto_redshift_serverless import RedshiftServerlessBackend, clock

from .conftest import NAMESPACE

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient
    from mypy_boto3_redshift_serverless.type_defs import TagTypeDef


def test_create_namespace_is_available_at_once(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    namespace = redshift_serverless.create_namespace(
        namespaceName="analytics",
        dbName="warehouse",
        logExports=["userlog"],
        tags=[{"key": "team", "value": "data"}],
    )["namespace"]

    # then
    assert namespace["namespaceName"] == "analytics"
    assert namespace["status"] == "AVAILABLE"
    assert namespace["dbName"] == "warehouse"
    assert namespace["logExports"] == ["userlog"]
    assert namespace["namespaceArn"].startswith(
        "arn:aws:redshift-serverless:eu-west-1:123456789012:namespace/"
    )
    assert namespace["namespaceArn"].endswith(namespace["namespaceId"])
    assert isinstance(namespace["creationDate"], datetime)


def test_create_namespace_duplicate_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_namespace(namespaceName=NAMESPACE)

    # then
    assert raised.value.response["Error"]["Code"] == "ConflictException"
    assert raised.value.response["Error"]["Message"] == f"Namespace {NAMESPACE} already exists."


@pytest.mark.parametrize(
    ("name", "constraint"),
    [
        ("Upper", "Member must satisfy regular expression pattern: ^[a-z0-9-]+$"),
        ("n" * 65, "Member must have length less than or equal to 64"),
    ],
)
def test_create_namespace_invalid_name_is_rejected(
    redshift_serverless: RedshiftServerlessClient, name: str, constraint: str
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_namespace(namespaceName=name)

    # then
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{name}' at 'namespaceName' failed to satisfy "
        f"constraint: {constraint}"
    )


def test_create_namespace_unknown_log_export_is_rejected(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_namespace(
            namespaceName="analytics",
            logExports=["auditlog"],  # type: ignore[list-item]  # deliberately not in the enum
        )

    # then
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "at 'logExports.member'" in raised.value.response["Error"]["Message"]
    assert "[useractivitylog, userlog, connectionlog]" in raised.value.response["Error"]["Message"]


def test_create_namespace_over_50_tags_is_rejected(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given: within the model's 200, over the emulator's limit of 50 per resource
    tags: list[TagTypeDef] = [{"key": f"k{i}", "value": "v"} for i in range(51)]

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.create_namespace(namespaceName="analytics", tags=tags)

    # then
    assert raised.value.response["Error"]["Code"] == "TooManyTagsException"
    assert raised.value.response["Error"]["Message"] == "A resource can have at most 50 tags."
    assert redshift_serverless.list_namespaces()["namespaces"] == []


def test_get_namespace_returns_it(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    found = redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]

    # then
    assert found["namespaceId"] == namespace["namespaceId"]
    assert found["status"] == "AVAILABLE"


def test_get_namespace_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_namespace(namespaceName="missing")

    # then
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == "Namespace missing does not exist."


def test_list_namespaces_returns_all(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # given
    redshift_serverless.create_namespace(namespaceName="ns-two")

    # when
    listed = redshift_serverless.list_namespaces()

    # then
    assert [n["namespaceName"] for n in listed["namespaces"]] == [NAMESPACE, "ns-two"]
    assert "nextToken" not in listed


def test_list_namespaces_max_results_over_100_is_rejected(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.list_namespaces(maxResults=101)

    # then
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )


def test_update_namespace_changes_given_fields(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    updated = redshift_serverless.update_namespace(
        namespaceName=NAMESPACE, iamRoles=["arn:aws:iam::123456789012:role/copy"]
    )["namespace"]

    # then
    assert updated["iamRoles"] == ["arn:aws:iam::123456789012:role/copy"]
    assert updated["dbName"] == namespace["dbName"]


def test_update_namespace_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.update_namespace(namespaceName="missing", adminUsername="root")

    # then
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == "Namespace missing does not exist."


def test_delete_namespace_answers_deleting_then_it_is_gone(
    redshift_serverless: RedshiftServerlessClient, namespace: dict[str, Any]
) -> None:
    # when
    deleted = redshift_serverless.delete_namespace(namespaceName=NAMESPACE)["namespace"]

    # then
    assert deleted["status"] == "DELETING"
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_delete_namespace_with_workgroup_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient, workgroup: str
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # then
    assert raised.value.response["Error"]["Code"] == "ConflictException"
    assert raised.value.response["Error"]["Message"] == (
        f"Namespace {NAMESPACE} has workgroup {workgroup} associated with it. "
        "Delete the workgroup first."
    )


def test_delete_namespace_unknown_is_not_found(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_namespace(namespaceName="missing")

    # then
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == "Namespace missing does not exist."


def test_set_namespace_status_holds_for_a_number_of_reads(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.set_namespace_status(NAMESPACE, "MODIFYING", reads=2)

    # when
    statuses = [
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]
        for _ in range(3)
    ]

    # then
    assert statuses == ["MODIFYING", "MODIFYING", "AVAILABLE"]


def test_set_namespace_status_holds_for_emulated_seconds(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    clock.freeze()
    emulator.set_namespace_status(NAMESPACE, "MODIFYING", seconds=60)

    # when
    before = redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]
    clock.advance(60)
    after = redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]

    # then
    assert (before, after) == ("MODIFYING", "AVAILABLE")


def test_hold_new_namespaces_applies_to_later_creations(
    redshift_serverless: RedshiftServerlessClient, emulator: RedshiftServerlessBackend
) -> None:
    # given
    emulator.hold_new_namespaces("MODIFYING", reads=1)

    # when
    created = redshift_serverless.create_namespace(namespaceName="held")["namespace"]
    first = redshift_serverless.get_namespace(namespaceName="held")["namespace"]
    second = redshift_serverless.get_namespace(namespaceName="held")["namespace"]

    # then
    assert [created["status"], first["status"], second["status"]] == [
        "MODIFYING",
        "MODIFYING",
        "AVAILABLE",
    ]


def test_set_namespace_status_outside_the_enum_is_served(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.set_namespace_status(NAMESPACE, "INACCESSIBLE_KMS_KEY")

    # when
    statuses = [
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]
        for _ in range(2)
    ]

    # then
    assert statuses == ["INACCESSIBLE_KMS_KEY", "INACCESSIBLE_KMS_KEY"]


def test_delete_namespace_held_answers_deleting_for_a_number_of_reads(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.hold_deletes(reads=2)

    # when
    deleted = redshift_serverless.delete_namespace(namespaceName=NAMESPACE)["namespace"]
    listed = redshift_serverless.list_namespaces()["namespaces"]
    statuses = [
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]
        for _ in range(2)
    ]
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)

    # then
    assert deleted["status"] == "DELETING"
    assert [(n["namespaceName"], n["status"]) for n in listed] == [(NAMESPACE, "DELETING")]
    assert statuses == ["DELETING", "DELETING"]
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == f"Namespace {NAMESPACE} does not exist."
    assert redshift_serverless.list_namespaces()["namespaces"] == []


def test_delete_namespace_held_answers_deleting_for_emulated_seconds(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    clock.freeze()
    emulator.hold_deletes(seconds=60)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # when
    before = redshift_serverless.get_namespace(namespaceName=NAMESPACE)["namespace"]["status"]
    clock.advance(60)
    listed = redshift_serverless.list_namespaces()["namespaces"]
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)

    # then
    assert before == "DELETING"
    assert listed == []
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == f"Namespace {NAMESPACE} does not exist."


def test_delete_namespace_while_deleting_is_a_conflict(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.hold_deletes(reads=5)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # when
    with pytest.raises(ClientError) as raised:
        redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # then
    assert raised.value.response["Error"]["Code"] == "ConflictException"
    assert raised.value.response["Error"]["Message"] == (
        f"Namespace {NAMESPACE} is already being deleted."
    )


def test_create_namespace_after_held_deletion_ends_succeeds(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given: deleted, with the one read the hold allows already spent
    emulator.hold_deletes(reads=0)
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)
    with pytest.raises(ClientError):
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)

    # when
    created = redshift_serverless.create_namespace(namespaceName=NAMESPACE)["namespace"]

    # then
    assert created["status"] == "AVAILABLE"
    assert created["namespaceId"] != namespace["namespaceId"]


def test_hold_deletes_without_reads_or_seconds_deletes_at_once(
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: dict[str, Any],
) -> None:
    # given
    emulator.hold_deletes(reads=3)
    emulator.hold_deletes()

    # when
    redshift_serverless.delete_namespace(namespaceName=NAMESPACE)

    # then
    assert redshift_serverless.list_namespaces()["namespaces"] == []
    with pytest.raises(ClientError) as raised:
        redshift_serverless.get_namespace(namespaceName=NAMESPACE)
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["Error"]["Message"] == f"Namespace {NAMESPACE} does not exist."
