"""CloudFormation properties -> ScheduleSpec, without AWS."""

from __future__ import annotations

import pytest

from custom_resource.errors import SpecError
from custom_resource.properties import spec_from_properties
from custom_resource.spec import DEFAULT_SCHEDULE, Defaults, Owner

DEFAULTS = Defaults(
    role_arn="arn:aws:iam::123456789012:role/redshift-scheduler",
    destination_region="eu-central-1",
)
OWNER = Owner.stack("orders-stack", "Schedule")


def test_spec_from_properties_uses_the_defaults_and_ignores_the_service_token() -> None:
    # given
    properties = {
        "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:f",
        "NamespaceName": "orders",
    }

    # when
    spec = spec_from_properties(properties, DEFAULTS, OWNER, region="eu-west-1")

    # then
    assert spec.namespace_name == "orders"
    assert spec.scheduled_action_name == "snapshot-orders"
    assert spec.schedule.cron is not None
    assert spec.schedule.cron.expression == DEFAULT_SCHEDULE
    assert spec.retention_period == 7
    assert spec.destination_region == "eu-central-1"
    assert spec.enabled is True
    assert spec.owner == OWNER


def test_spec_from_properties_ignores_cloudformations_service_timeout() -> None:
    # given the properties of a resource that sets CloudFormation's ServiceTimeout
    plain = {"ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:f"}
    plain["NamespaceName"] = "orders"
    with_timeout = {**plain, "ServiceTimeout": "2400"}

    # when both are read
    spec = spec_from_properties(with_timeout, DEFAULTS, OWNER, region="eu-west-1")

    # then the timeout changes nothing of the spec
    assert spec == spec_from_properties(plain, DEFAULTS, OWNER, region="eu-west-1")


def test_spec_from_properties_reads_every_property() -> None:
    # given
    properties = {
        "NamespaceName": "orders",
        "Schedule": "cron(30 2 * * ? *)",
        "RetentionPeriod": "14",
        "RoleArn": "arn:aws:iam::123456789012:role/other",
        "DestinationRegion": "us-east-1",
        "DestinationKmsKeyId": "alias/copies",
        "CopyRetentionPeriod": "-1",
        "SnapshotNamePrefix": "orders-auto",
        "ScheduledActionName": "orders-snapshots",
        "Enabled": "false",
    }

    # when
    spec = spec_from_properties(properties, DEFAULTS, OWNER)

    # then
    assert spec.schedule.cron is not None
    assert spec.schedule.cron.expression == "30 2 * * ? *"
    assert spec.retention_period == 14
    assert spec.role_arn == "arn:aws:iam::123456789012:role/other"
    assert spec.destination_region == "us-east-1"
    assert spec.destination_kms_key_id == "alias/copies"
    assert spec.copy_retention_period == -1
    assert spec.snapshot_name_prefix == "orders-auto"
    assert spec.scheduled_action_name == "orders-snapshots"
    assert spec.enabled is False


def test_spec_from_properties_coerces_numbers_and_booleans() -> None:
    # given values as a direct invocation might write them
    properties: dict[str, object] = {
        "NamespaceName": "orders",
        "RetentionPeriod": 30,
        "Enabled": False,
    }

    # when
    spec = spec_from_properties(properties, DEFAULTS, OWNER)

    # then
    assert spec.retention_period == 30
    assert spec.enabled is False


def test_spec_from_properties_treats_empty_values_as_defaults_but_empty_region_as_no_copy() -> None:
    # given
    properties = {
        "NamespaceName": "orders",
        "Schedule": "",
        "RetentionPeriod": " ",
        "Enabled": "",
        "DestinationRegion": "",
    }

    # when
    spec = spec_from_properties(properties, DEFAULTS, OWNER)

    # then
    assert spec.schedule.cron is not None
    assert spec.schedule.cron.expression == DEFAULT_SCHEDULE
    assert spec.retention_period == 7
    assert spec.enabled is True
    assert spec.destination_region is None


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({}, "NamespaceName must be present (the property is required), got None"),
        (
            {"NamespaceName": ""},
            "NamespaceName must be 3-64 characters of a-z, 0-9 and '-', got ''",
        ),
        (
            {"NamespaceName": "orders", "Retention": "7"},
            "Property names must be those of Custom::ServerlessSnapshotSchedule, got "
            "['Retention'] (known: ServiceToken, NamespaceName, Schedule, RetentionPeriod, "
            "RoleArn, DestinationRegion, DestinationKmsKeyId, CopyRetentionPeriod, "
            "SnapshotNamePrefix, ScheduledActionName, Enabled, ServiceTimeout)",
        ),
        (
            {"NamespaceName": "orders", "RetentionPeriod": ["7"]},
            "RetentionPeriod must be a single string, number or boolean, got ['7']",
        ),
        (
            {"NamespaceName": "orders", "RetentionPeriod": "0"},
            "RetentionPeriod must be -1 or 1–3653, got '0'",
        ),
    ],
)
def test_spec_from_properties_rejects_bad_properties(
    properties: dict[str, object], message: str
) -> None:
    # given the properties above

    # when
    with pytest.raises(SpecError) as raised:
        spec_from_properties(properties, DEFAULTS, OWNER)

    # then
    assert str(raised.value) == message
