"""CloudFormation properties of Custom::ServerlessSnapshotSchedule -> a validated ScheduleSpec.

CloudFormation delivers every property value as a string ("7", "true") whatever the template
wrote; this module accepts strings, and for direct invocations also numbers and booleans, which
it turns into the strings CloudFormation would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from custom_resource.errors import SpecError
from custom_resource.spec import NO_COPY, Defaults, Owner, ScheduleSpec, build_spec

RESOURCE_TYPE = "Custom::ServerlessSnapshotSchedule"

NAMESPACE_NAME = "NamespaceName"
SERVICE_TOKEN = "ServiceToken"  # noqa: S105 - a property name, not a secret
# CloudFormation's own setting; it may or may not reach the provider in ResourceProperties.
SERVICE_TIMEOUT = "ServiceTimeout"
DESTINATION_REGION = "DestinationRegion"

# PascalCase property -> spec field; NamespaceName, ServiceToken and ServiceTimeout are handled
# on their own.
PROPERTY_FIELDS: Mapping[str, str] = {
    "Schedule": "schedule",
    "RetentionPeriod": "retention_period",
    "RoleArn": "role_arn",
    DESTINATION_REGION: "destination_region",
    "DestinationKmsKeyId": "destination_kms_key_id",
    "CopyRetentionPeriod": "copy_retention_period",
    "SnapshotNamePrefix": "snapshot_name_prefix",
    "ScheduledActionName": "scheduled_action_name",
    "Enabled": "enabled",
}
KNOWN_PROPERTIES = (SERVICE_TOKEN, NAMESPACE_NAME, *PROPERTY_FIELDS, SERVICE_TIMEOUT)
FIELD_NAMES: Mapping[str, str] = {
    "namespace_name": NAMESPACE_NAME,
    **{field: prop for prop, field in PROPERTY_FIELDS.items()},
}


def spec_from_properties(
    properties: Mapping[str, object],
    defaults: Defaults,
    owner: Owner,
    *,
    region: str | None = None,
) -> ScheduleSpec:
    """The spec the properties declare; raises SpecError naming the property at fault.

    Unknown properties are an error that names them; ``ServiceToken`` and ``ServiceTimeout``
    (CloudFormation's own) are ignored. An empty value
    means "use the default", except ``DestinationRegion``, where empty means no copy
    configuration. ``region`` is the function's own region, which a copy destination must
    differ from. Makes no AWS call.
    """
    unknown = sorted(name for name in properties if name not in KNOWN_PROPERTIES)
    if unknown:
        raise SpecError(
            "Property names",
            unknown,
            f"those of {RESOURCE_TYPE}",
            "known: " + ", ".join(KNOWN_PROPERTIES),
        )

    overrides: dict[str, str] = {}
    for prop, field in PROPERTY_FIELDS.items():
        if prop not in properties:
            continue
        text = property_text(properties, prop)
        if text.strip():
            overrides[field] = text
        elif prop == DESTINATION_REGION:
            overrides[field] = NO_COPY

    return build_spec(
        namespace_name_of(properties),
        defaults,
        owner,
        overrides=overrides,
        field_names=FIELD_NAMES,
        region=region,
    )


def namespace_name_of(properties: Mapping[str, object]) -> str:
    """The NamespaceName property as written (not validated further); raises SpecError when it
    is missing or empty."""
    if NAMESPACE_NAME not in properties:
        raise SpecError(NAMESPACE_NAME, None, "present (the property is required)")
    name = property_text(properties, NAMESPACE_NAME).strip()
    if not name:
        raise SpecError(NAMESPACE_NAME, name, "3-64 characters of a-z, 0-9 and '-'")
    return name


def property_text(properties: Mapping[str, object], name: str) -> str:
    """One property value as the string CloudFormation sends; raises SpecError for a list or
    an object, which no property of this type accepts."""
    value = properties[name]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise SpecError(name, value, "a single string, number or boolean")
