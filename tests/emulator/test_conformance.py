"""Every response the emulator serves validates against botocore's model of the service.

The raw JSON body is checked (before botocore parses it, which would hide a wrong timestamp
format): required members present, no members the shape lacks, types right, timestamps in the
format the shape prescribes (this model mixes epoch seconds and ISO 8601 strings), enums within
their values, unions with exactly one member, lists and maps element by element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.model import ListShape, MapShape, Shape, StructureShape

from moto_redshift_serverless.responses import RedshiftServerlessResponse

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

MODEL = botocore.session.get_session().get_service_model("redshift-serverless")
ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")
# The JSON protocols' default timestamp format when a shape names none.
DEFAULT_TIMESTAMP_FORMAT = "unixTimestamp"

# The model marks almost no output member required, yet callers rely on these being present
# (the API reference's examples always show them); validated as if the model required them.
ALWAYS_PRESENT: dict[str, set[str]] = {
    "Namespace": {"namespaceName", "namespaceArn", "namespaceId", "status", "creationDate"},
    "Workgroup": {
        "workgroupName",
        "workgroupArn",
        "workgroupId",
        "namespaceName",
        "status",
        "creationDate",
    },
    "ScheduledActionResponse": {
        "scheduledActionName",
        "scheduledActionUuid",
        "namespaceName",
        "roleArn",
        "schedule",
        "state",
        "targetAction",
    },
    "ScheduledActionAssociation": {"namespaceName", "scheduledActionName"},
    "Snapshot": {"snapshotName", "snapshotArn", "namespaceName", "status", "snapshotCreateTime"},
    "SnapshotCopyConfiguration": {
        "snapshotCopyConfigurationId",
        "snapshotCopyConfigurationArn",
        "namespaceName",
        "destinationRegion",
    },
}


# -- the validator ---------------------------------------------------------------------------


def validate(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every way `value` (decoded JSON) departs from `shape`; empty when it conforms."""
    if isinstance(shape, StructureShape):
        return _validate_structure(shape, value, path)
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {value!r}"]
        return [
            e for i, item in enumerate(value) for e in validate(shape.member, item, f"{path}[{i}]")
        ]
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {value!r}"]
        return [
            error
            for key, item in value.items()
            for error in validate(shape.key, key, f"{path}.<key>")
            + validate(shape.value, item, f"{path}[{key!r}]")
        ]
    return _validate_scalar(shape, value, path)


def _validate_structure(shape: StructureShape, value: Any, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected an object ({shape.name}), got {value!r}"]

    required = set(shape.required_members) | ALWAYS_PRESENT.get(shape.name, set())
    errors = [
        f"{path}: required member '{name}' of {shape.name} is missing"
        for name in sorted(required)
        if name not in value
    ]
    errors += [
        f"{path}: member '{name}' is not in {shape.name} (members: {sorted(shape.members)})"
        for name in value
        if name not in shape.members
    ]
    if shape.is_tagged_union and len(value) != 1:
        errors.append(
            f"{path}: union {shape.name} must set exactly one member, got {sorted(value)}"
        )
    for name, member in shape.members.items():
        if name in value:
            errors += validate(member, value[name], f"{path}.{name}")
    return errors


def _validate_scalar(shape: Shape, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if value is None:
        return [f"{path}: null is not a {kind}"]

    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {value!r}"]
        if shape.enum and value not in shape.enum:
            return [f"{path}: '{value}' is not one of {shape.name}'s values {shape.enum}"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path}: expected an integer, got {value!r}"]
        return []
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{path}: expected a number, got {value!r}"]
        return []
    if kind == "timestamp":
        return _validate_timestamp(shape, value, path)
    if kind == "blob":
        return [] if isinstance(value, str) else [f"{path}: expected base64 text, got {value!r}"]
    return [f"{path}: no validation for shape type '{kind}'"]


def _validate_timestamp(shape: Shape, value: Any, path: str) -> list[str]:
    wire = shape.serialization.get("timestampFormat", DEFAULT_TIMESTAMP_FORMAT)
    if wire == "unixTimestamp":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{path}: {shape.name} is epoch seconds on the wire, got {value!r}"]
        return []
    if wire == "iso8601":
        if not isinstance(value, str) or not ISO_8601.match(value):
            return [f"{path}: {shape.name} is an ISO 8601 string on the wire, got {value!r}"]
        return []
    return [f"{path}: no validation for timestamp format '{wire}'"]


# -- the emulated world every example runs in ------------------------------------------------


@dataclass
class World:
    """Names of what exists before an example operation runs."""

    namespace_arn: str
    snapshot_copy_configuration_id: str


def _build_world(client: RedshiftServerlessClient) -> World:
    namespace = client.create_namespace(
        namespaceName="conformance",
        adminUsername="admin",
        dbName="dev",
        iamRoles=[ROLE_ARN],
        logExports=["userlog"],
        tags=[{"key": "team", "value": "data"}],
    )["namespace"]
    client.create_namespace(namespaceName="spare")
    client.create_workgroup(workgroupName="conformance-wg", namespaceName="conformance")
    client.create_snapshot(namespaceName="conformance", snapshotName="manual", retentionPeriod=7)
    client.create_scheduled_action(
        scheduledActionName="every-eight-hours",
        namespaceName="conformance",
        roleArn=ROLE_ARN,
        schedule={"cron": "cron(0 0,8,16 * * ? *)"},
        targetAction={
            "createSnapshot": {
                "namespaceName": "conformance",
                "snapshotNamePrefix": "auto",
                "retentionPeriod": 7,
                "tags": [{"key": "made-by", "value": "schedule"}],
            }
        },
        scheduledActionDescription="snapshots three times a day",
        startTime="2026-01-01T00:00:00Z",
        endTime="2199-01-01T00:00:00Z",
    )
    client.create_scheduled_action(
        scheduledActionName="one-off",
        namespaceName="conformance",
        roleArn=ROLE_ARN,
        schedule={"at": "2199-06-01T00:00:00Z"},
        targetAction={
            "createSnapshot": {"namespaceName": "conformance", "snapshotNamePrefix": "x"}
        },
        enabled=False,
    )
    copy = client.create_snapshot_copy_configuration(
        namespaceName="conformance", destinationRegion="eu-central-1", snapshotRetentionPeriod=3
    )["snapshotCopyConfiguration"]
    return World(namespace["namespaceArn"], copy["snapshotCopyConfigurationId"])


# The operations the emulator must serve; removing one from the responses module fails the
# tests below rather than silently shrinking the example table with it.
SERVED_OPERATIONS = frozenset(
    {
        "CreateNamespace",
        "GetNamespace",
        "ListNamespaces",
        "UpdateNamespace",
        "DeleteNamespace",
        "CreateWorkgroup",
        "GetWorkgroup",
        "ListWorkgroups",
        "DeleteWorkgroup",
        "CreateScheduledAction",
        "GetScheduledAction",
        "UpdateScheduledAction",
        "DeleteScheduledAction",
        "ListScheduledActions",
        "CreateSnapshotCopyConfiguration",
        "UpdateSnapshotCopyConfiguration",
        "DeleteSnapshotCopyConfiguration",
        "ListSnapshotCopyConfigurations",
        "CreateSnapshot",
        "GetSnapshot",
        "ListSnapshots",
        "DeleteSnapshot",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    }
)

# One valid request per served operation, given the world above.
EXAMPLES: dict[str, Callable[[World], dict[str, Any]]] = {
    "CreateNamespace": lambda w: {"namespaceName": "another", "tags": [{"key": "a", "value": "b"}]},
    "GetNamespace": lambda w: {"namespaceName": "conformance"},
    "ListNamespaces": lambda w: {},
    "UpdateNamespace": lambda w: {"namespaceName": "conformance", "defaultIamRoleArn": ROLE_ARN},
    "DeleteNamespace": lambda w: {"namespaceName": "spare"},
    "CreateWorkgroup": lambda w: {"workgroupName": "spare-wg", "namespaceName": "spare"},
    "GetWorkgroup": lambda w: {"workgroupName": "conformance-wg"},
    "ListWorkgroups": lambda w: {},
    "DeleteWorkgroup": lambda w: {"workgroupName": "conformance-wg"},
    "CreateScheduledAction": lambda w: {
        "scheduledActionName": "weekly",
        "namespaceName": "conformance",
        "roleArn": ROLE_ARN,
        "schedule": {"cron": "(0 10 ? * MON *)"},
        "targetAction": {
            "createSnapshot": {"namespaceName": "conformance", "snapshotNamePrefix": "weekly"}
        },
    },
    "GetScheduledAction": lambda w: {"scheduledActionName": "every-eight-hours"},
    "UpdateScheduledAction": lambda w: {
        "scheduledActionName": "every-eight-hours",
        "schedule": {"cron": "0 6 * * ? *"},
        "enabled": False,
    },
    "DeleteScheduledAction": lambda w: {"scheduledActionName": "one-off"},
    "ListScheduledActions": lambda w: {"namespaceName": "conformance"},
    "CreateSnapshotCopyConfiguration": lambda w: {
        "namespaceName": "spare",
        "destinationRegion": "us-west-2",
        "snapshotRetentionPeriod": 1,
    },
    "UpdateSnapshotCopyConfiguration": lambda w: {
        "snapshotCopyConfigurationId": w.snapshot_copy_configuration_id,
        "snapshotRetentionPeriod": 14,
    },
    "DeleteSnapshotCopyConfiguration": lambda w: {
        "snapshotCopyConfigurationId": w.snapshot_copy_configuration_id
    },
    "ListSnapshotCopyConfigurations": lambda w: {"namespaceName": "conformance"},
    "CreateSnapshot": lambda w: {"namespaceName": "conformance", "snapshotName": "another"},
    "GetSnapshot": lambda w: {"snapshotName": "manual"},
    "ListSnapshots": lambda w: {"namespaceName": "conformance"},
    "DeleteSnapshot": lambda w: {"snapshotName": "manual"},
    "TagResource": lambda w: {
        "resourceArn": w.namespace_arn,
        "tags": [{"key": "env", "value": "test"}],
    },
    "UntagResource": lambda w: {"resourceArn": w.namespace_arn, "tagKeys": ["team"]},
    "ListTagsForResource": lambda w: {"resourceArn": w.namespace_arn},
}


def _served_operations() -> set[str]:
    return {
        name
        for name in MODEL.operation_names
        if callable(getattr(RedshiftServerlessResponse, xform_name(name), None))
    }


@dataclass
class RawResponse:
    status: int
    body: bytes


def _capture_raw(client: RedshiftServerlessClient) -> list[RawResponse]:
    """Record the raw HTTP response of every call the client makes from now on."""
    captured: list[RawResponse] = []

    def keep(http_response: Any, **_: Any) -> None:
        captured.append(RawResponse(http_response.status_code, http_response.content))

    client.meta.events.register("after-call.redshift-serverless.*", keep)
    client.meta.events.register("after-call-error.redshift-serverless.*", keep)
    return captured


@pytest.fixture
def world(redshift_serverless: RedshiftServerlessClient) -> World:
    return _build_world(redshift_serverless)


# -- the tests --------------------------------------------------------------------------------


def test_examples_cover_every_served_operation() -> None:
    # given the operations the emulator's responses module serves
    served = _served_operations()

    # when compared with the example table
    missing = served - EXAMPLES.keys()
    unserved = EXAMPLES.keys() - served

    # then every served operation has an example, and every example is served
    assert not missing, f"add a valid example request for {sorted(missing)}"
    assert not unserved, f"examples for operations the emulator does not serve: {sorted(unserved)}"


def test_served_operations_are_the_pinned_25() -> None:
    # given the operations the emulator's responses module serves
    served = _served_operations()

    # when compared with the pinned list
    missing = SERVED_OPERATIONS - served
    unexpected = served - SERVED_OPERATIONS

    # then none is gone, and a new one is added to the list (and to EXAMPLES) deliberately
    assert len(SERVED_OPERATIONS) == 25
    assert not missing, f"the emulator no longer serves {sorted(missing)}"
    assert not unexpected, f"pin the newly served {sorted(unexpected)} in SERVED_OPERATIONS"
    assert EXAMPLES.keys() == SERVED_OPERATIONS


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_response_conforms_to_output_shape(
    operation: str, redshift_serverless: RedshiftServerlessClient, world: World
) -> None:
    # given the world and a valid request for the operation
    request = EXAMPLES[operation](world)
    captured = _capture_raw(redshift_serverless)

    # when the operation is called
    getattr(redshift_serverless, xform_name(operation))(**request)

    # then the raw body validates against the model's output shape
    assert len(captured) == 1
    assert captured[0].status == 200
    body = json.loads(captured[0].body or b"{}")
    output = MODEL.operation_model(operation).output_shape
    assert output is not None
    assert validate(output, body) == []
    if operation.startswith("List"):
        assert any(isinstance(v, list) and v for v in body.values()), f"empty listing: {body}"


ERROR_EXAMPLES: list[tuple[str, dict[str, Any], str]] = [
    ("GetNamespace", {"namespaceName": "missing"}, "ResourceNotFoundException"),
    ("CreateNamespace", {"namespaceName": "conformance"}, "ConflictException"),
    ("GetScheduledAction", {"scheduledActionName": "missing"}, "ResourceNotFoundException"),
    (
        "CreateScheduledAction",
        {
            "scheduledActionName": "too-often",
            "namespaceName": "conformance",
            "roleArn": ROLE_ARN,
            "schedule": {"cron": "0,30 * * * ? *"},
            "targetAction": {
                "createSnapshot": {"namespaceName": "conformance", "snapshotNamePrefix": "x"}
            },
        },
        "ValidationException",
    ),
    (
        "CreateSnapshotCopyConfiguration",
        {"namespaceName": "conformance", "destinationRegion": "us-east-2"},
        "ConflictException",
    ),
    ("ListScheduledActions", {"nextToken": "not-a-token"}, "InvalidPaginationException"),
    ("GetSnapshot", {"snapshotName": "missing"}, "ResourceNotFoundException"),
    (
        "ListTagsForResource",
        {"resourceArn": "arn:aws:redshift-serverless:eu-west-1:123456789012:namespace/nope"},
        "ResourceNotFoundException",
    ),
]


@pytest.mark.parametrize(("operation", "request_", "code"), ERROR_EXAMPLES)
def test_error_response_carries_type_and_message(
    operation: str,
    request_: dict[str, Any],
    code: str,
    redshift_serverless: RedshiftServerlessClient,
    world: World,
) -> None:
    # given a request the emulator must refuse
    captured = _capture_raw(redshift_serverless)

    # when it is sent
    with pytest.raises(ClientError) as raised:
        getattr(redshift_serverless, xform_name(operation))(**request_)

    # then the raw body has __type and message, the code is one the operation declares,
    # and the rest of the body fits the error's shape
    body = json.loads(captured[-1].body)
    error_type = body.pop("__type")
    # Protocol metadata beside the shape: moto's JSON serializer repeats the text as "Message".
    repeated = body.pop("Message", body.get("message"))
    declared = {shape.name: shape for shape in MODEL.operation_model(operation).error_shapes}
    assert error_type.rsplit("#", 1)[-1] == code
    assert raised.value.response["Error"]["Code"] == code
    assert code in declared, f"{operation} does not declare {code}: {sorted(declared)}"
    assert isinstance(body.get("message"), str)
    assert body["message"]
    assert repeated == body["message"]
    assert validate(declared[code], body) == []
    assert 400 <= captured[-1].status < 500


# -- the validator itself must catch what it is for -------------------------------------------


def test_validate_flags_missing_required_member() -> None:
    # given a namespace body without its required members
    output = MODEL.operation_model("GetNamespace").output_shape
    assert output is not None

    # when validated
    errors = validate(output, {"namespace": {"status": "AVAILABLE", "namespaceName": "abc"}})
    missing = validate(output, {})

    # then the missing members are named
    assert missing == ["$: required member 'namespace' of GetNamespaceResponse is missing"]
    assert errors == [
        f"$.namespace: required member '{name}' of Namespace is missing"
        for name in ("creationDate", "namespaceArn", "namespaceId")
    ]


def test_validate_flags_wrong_timestamp_formats() -> None:
    # given a namespace with an epoch creationDate (the model wants ISO 8601) and a scheduled
    # action with ISO 8601 nextInvocations (the model wants epoch seconds)
    namespace = MODEL.operation_model("GetNamespace").output_shape
    action = MODEL.operation_model("GetScheduledAction").output_shape
    assert namespace is not None
    assert action is not None

    # when validated
    namespace_errors = validate(namespace, {"namespace": {"creationDate": 1767225600}})
    action_errors = validate(action, {"scheduledAction": _action(["2026-01-01T00:00:00Z"])})
    good = validate(action, {"scheduledAction": _action([1767225600, 1767254400.5])})

    # then each wrong format is reported with its path
    assert any("$.namespace.creationDate" in e and "ISO 8601" in e for e in namespace_errors)
    assert action_errors == [
        "$.scheduledAction.nextInvocations[0]: Timestamp is epoch seconds on the wire, "
        "got '2026-01-01T00:00:00Z'"
    ]
    assert good == []


def _action(next_invocations: list[Any]) -> dict[str, Any]:
    return {
        "scheduledActionName": "daily",
        "scheduledActionUuid": "00000000-0000-0000-0000-000000000000",
        "namespaceName": "abc",
        "roleArn": ROLE_ARN,
        "schedule": {"cron": "0 0 * * ? *"},
        "state": "ACTIVE",
        "targetAction": {"createSnapshot": {"namespaceName": "abc", "snapshotNamePrefix": "p"}},
        "nextInvocations": next_invocations,
    }


def test_validate_flags_unknown_member_bad_enum_and_union() -> None:
    # given a scheduled action with an extra member, an unknown state and a two-member schedule
    action = MODEL.operation_model("GetScheduledAction").output_shape
    assert action is not None
    body = {
        "scheduledAction": {
            "state": "PAUSED",
            "colour": "blue",
            "schedule": {"at": 1767225600, "cron": "0 0 * * ? *"},
        }
    }

    # when validated
    errors = validate(action, body)

    # then each departure is named
    assert any("'colour' is not in ScheduledActionResponse" in e for e in errors)
    assert any("'PAUSED' is not one of State's values" in e for e in errors)
    assert any("union Schedule must set exactly one member" in e for e in errors)
