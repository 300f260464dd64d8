"""The schedule spec: name derivation, markers, defaults from the environment, string coercion."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_resource.cron import DEFAULT_SCHEDULE, parse_cron
from custom_resource.errors import SpecError
from custom_resource.spec import (
    Defaults,
    Marker,
    Owner,
    Schedule,
    ScheduleSpec,
    build_spec,
    derive_scheduled_action_name,
    parse_marker,
)

ROLE = "arn:aws:iam::123456789012:role/snapshot-scheduler"
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
ENVIRON = {"ROLE_ARN": ROLE, "DEST_REGION": "eu-central-1"}
CFN_NAMES = {
    "schedule": "Schedule",
    "retention_period": "RetentionPeriod",
    "enabled": "Enabled",
    "destination_region": "DestinationRegion",
    "copy_retention_period": "CopyRetentionPeriod",
    "destination_kms_key_id": "DestinationKmsKeyId",
    "role_arn": "RoleArn",
    "snapshot_name_prefix": "SnapshotNamePrefix",
    "scheduled_action_name": "ScheduledActionName",
}
NAMESPACE_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=3, max_size=64)
LONG_NAMESPACE_NAMES = st.text(alphabet="abc-", min_size=59, max_size=64)


def defaults() -> Defaults:
    return Defaults.from_environ(ENVIRON)


def build(overrides: dict[str, str], namespace_name: str = "analytics") -> ScheduleSpec:
    return build_spec(
        namespace_name,
        defaults(),
        Owner.stack("prod", "Schedule"),
        overrides=overrides,
        field_names=CFN_NAMES,
        now=NOW,
        region="eu-west-1",
    )


@given(NAMESPACE_NAMES)
def test_derive_scheduled_action_name_is_valid_for_every_namespace_name(name: str) -> None:
    # given any legal namespace name

    # when the action name is derived
    derived = derive_scheduled_action_name(name)

    # then it satisfies the API's constraints and is stable
    assert re.fullmatch(r"[a-z0-9-]{3,60}", derived)
    assert derived == derive_scheduled_action_name(name)


@given(st.lists(st.one_of(NAMESPACE_NAMES, LONG_NAMESPACE_NAMES), min_size=2, unique=True))
def test_derive_scheduled_action_name_never_collides(names: list[str]) -> None:
    # given distinct namespace names, many of them long enough to be shortened

    # when each name is derived
    derived = {derive_scheduled_action_name(name) for name in names}

    # then no two namespaces share an action name
    assert len(derived) == len(names)


@pytest.mark.parametrize(
    ("length", "expected_length", "hashed"),
    [(3, 12, False), (50, 59, False), (51, 60, True), (59, 60, True), (64, 60, True)],
)
def test_derive_scheduled_action_name_switches_form_at_59_characters(
    length: int, expected_length: int, hashed: bool
) -> None:
    # given a namespace name of a boundary length
    name = "n" * length

    # when the action name is derived
    derived = derive_scheduled_action_name(name)

    # then the short form is plain and the long form ends in 8 hex digits
    assert len(derived) == expected_length
    assert derived.startswith("snapshot-nnn")
    assert bool(re.search(r"-[0-9a-f]{8}$", derived)) is hashed


def test_derive_scheduled_action_name_keeps_prefixes_apart() -> None:
    # given two long names sharing their first 42 characters
    first, second = "a" * 42 + "x" * 20, "a" * 42 + "y" * 20

    # when both are derived
    names = derive_scheduled_action_name(first), derive_scheduled_action_name(second)

    # then the hash separates them
    assert names[0] != names[1]
    assert names[0][:51] == names[1][:51]


@given(
    st.from_regex(r"[A-Za-z][-A-Za-z0-9]{0,127}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9]{1,255}", fullmatch=True),
    st.sampled_from([None, "eu-central-1", "us-gov-west-1", "ap-southeast-2"]),
)
def test_description_marker_round_trips_and_stays_short(
    stack_name: str, logical_id: str, region: str | None
) -> None:
    # given a stack owner with names up to CloudFormation's limits
    owner = Owner.stack(stack_name, logical_id)
    spec = build_spec(
        "analytics",
        Defaults(role_arn=ROLE, destination_region=region),
        owner,
        now=NOW,
    )

    # when the marker is written and read back
    description = spec.description()
    marker = parse_marker(description)

    # then it names the owner and the copy region and fits well under 256 characters
    assert marker == Marker(owner=owner.value, copy_region=region)
    assert len(description) <= 200


def test_owner_stack_shortens_long_names_stably() -> None:
    # given two stack names differing only past their 64th character
    first = Owner.stack("s" * 70 + "a", "Schedule")
    second = Owner.stack("s" * 70 + "b", "Schedule")

    # when compared

    # then both are shortened, stable and distinct
    assert first.value != second.value
    assert first == Owner.stack("s" * 70 + "a", "Schedule")
    assert len(first.value.split("/")[1]) == 64


@pytest.mark.parametrize(
    "description",
    [None, "", "nightly snapshots", "Managed by serverless-snapshot-schedule", "owner=listener"],
)
def test_parse_marker_returns_none_for_foreign_descriptions(description: str | None) -> None:
    # given a description the tool did not write

    # when it is parsed

    # then there is no marker
    assert parse_marker(description) is None


def test_defaults_from_environ_matches_the_documented_defaults() -> None:
    # given only the required variables

    # when defaults are read and a spec is built
    spec = build_spec("analytics", defaults(), Owner.listener(), now=NOW)

    # then the documented defaults apply
    assert spec.schedule.cron == parse_cron(DEFAULT_SCHEDULE)
    assert spec.retention_period == 7
    assert spec.copy_retention_period == 7
    assert spec.destination_region == "eu-central-1"
    assert spec.destination_kms_key_id is None
    assert spec.enabled is True
    assert spec.snapshot_name_prefix == "analytics"
    assert spec.scheduled_action_name == "snapshot-analytics"
    assert spec.role_arn == ROLE
    assert spec.schedule.to_api() == {"cron": f"cron({DEFAULT_SCHEDULE})"}
    assert spec.description() == (
        "Managed by serverless-snapshot-schedule; owner=listener; copy=eu-central-1"
    )


def test_defaults_from_environ_reads_every_variable() -> None:
    # given every variable set, the schedule wrapped
    environ = ENVIRON | {
        "SCHED": "(0 6 * * ? *)",
        "RETENTION_PERIOD": "-1",
        "COPY_RETENTION_PERIOD": "30",
        "DEST_KMS_KEY_ID": "alias/snapshots",
        "CRON_WIRE_FORMAT": "parens",
    }

    # when defaults are read and a spec is built
    spec = build_spec("analytics", Defaults.from_environ(environ), Owner.listener(), now=NOW)

    # then each is honoured
    assert spec.schedule.to_api() == {"cron": "(0 6 * * ? *)"}
    assert spec.retention_period == -1
    assert spec.copy_retention_period == 30
    assert spec.destination_kms_key_id == "alias/snapshots"


def test_defaults_from_environ_dest_region_none_means_no_copy() -> None:
    # given DEST_REGION=none, any case
    environ = ENVIRON | {"DEST_REGION": "None", "DEST_KMS_KEY_ID": "alias/snapshots"}

    # when a spec is built
    spec = build_spec("analytics", Defaults.from_environ(environ), Owner.listener(), now=NOW)

    # then there is no copy configuration and the marker says so
    assert spec.destination_region is None
    assert spec.destination_kms_key_id is None
    assert spec.description().endswith("; copy=none")


def test_copy_retention_follows_an_overridden_retention() -> None:
    # given no COPY_RETENTION_PERIOD and a retention override

    # when a spec is built
    spec = build_spec(
        "analytics", defaults(), Owner.listener(), overrides={"retention_period": "14"}, now=NOW
    )

    # then the copies keep as long as the snapshots
    assert spec.copy_retention_period == 14


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"DEST_REGION": "eu-central-1"},
            "ROLE_ARN must be an IAM role ARN (the variable is required), got ''",
        ),
        (
            {"ROLE_ARN": ROLE},
            "DEST_REGION must be an AWS region name or 'none' (the variable is required), got ''",
        ),
        (
            ENVIRON | {"RETENTION_PERIOD": "0"},
            "RETENTION_PERIOD must be -1 or 1–3653, got '0'",
        ),
        (
            ENVIRON | {"COPY_RETENTION_PERIOD": "forever"},
            "COPY_RETENTION_PERIOD must be -1 or 1–3653, got 'forever'",
        ),
        (ENVIRON | {"SCHED": "*/5 * * * ? *"}, "SCHED must be a 6-field cron expression"),
        (
            ENVIRON | {"DEST_REGION": "Frankfurt"},
            "DEST_REGION must be an AWS region name such as eu-central-1, or 'none', "
            "got 'Frankfurt'",
        ),
        (
            ENVIRON | {"ROLE_ARN": "snapshot-scheduler"},
            "ROLE_ARN must be an IAM role ARN like arn:aws:iam::123456789012:role/name, "
            "got 'snapshot-scheduler'",
        ),
        (
            ENVIRON | {"CRON_WIRE_FORMAT": "json"},
            "CRON_WIRE_FORMAT must be one of cron, parens, bare, got 'json'",
        ),
    ],
)
def test_defaults_from_environ_rejects_bad_values(environ: dict[str, str], message: str) -> None:
    # given an environment with one bad or missing value

    # when defaults are read
    with pytest.raises(SpecError) as raised:
        Defaults.from_environ(environ)

    # then the error names the variable, the value and what is accepted
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"retention_period": "7"}, "retention_period", 7),
        ({"retention_period": " 30 "}, "retention_period", 30),
        ({"retention_period": "-1"}, "retention_period", -1),
        ({"retention_period": "3653"}, "retention_period", 3653),
        ({"copy_retention_period": "1"}, "copy_retention_period", 1),
        ({"enabled": "true"}, "enabled", True),
        ({"enabled": "FALSE"}, "enabled", False),
        ({"enabled": "True"}, "enabled", True),
        ({"destination_region": "none"}, "destination_region", None),
        ({"destination_region": "us-gov-west-1"}, "destination_region", "us-gov-west-1"),
        ({"destination_region": "us-isob-east-1"}, "destination_region", "us-isob-east-1"),
        ({"snapshot_name_prefix": "nightly"}, "snapshot_name_prefix", "nightly"),
        ({"scheduled_action_name": "my-action"}, "scheduled_action_name", "my-action"),
        (
            {"role_arn": "arn:aws-cn:iam::123456789012:role/a/b"},
            "role_arn",
            "arn:aws-cn:iam::123456789012:role/a/b",
        ),
        ({"destination_kms_key_id": ""}, "destination_kms_key_id", None),
        (
            {"destination_kms_key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"},
            "destination_kms_key_id",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        (
            {"destination_kms_key_id": "arn:aws:kms:eu-central-1:123456789012:alias/snap"},
            "destination_kms_key_id",
            "arn:aws:kms:eu-central-1:123456789012:alias/snap",
        ),
    ],
)
def test_build_spec_coerces_cloudformation_strings(
    overrides: dict[str, str], field: str, expected: object
) -> None:
    # given property values as CloudFormation delivers them: strings

    # when a spec is built
    spec = build(overrides)

    # then each is converted to its type
    value = getattr(spec, field)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"retention_period": "0"}, "RetentionPeriod must be -1 or 1–3653, got '0'"),
        ({"retention_period": "3654"}, "RetentionPeriod must be -1 or 1–3653, got '3654'"),
        ({"retention_period": "7.0"}, "RetentionPeriod must be -1 or 1–3653, got '7.0'"),
        ({"retention_period": ""}, "RetentionPeriod must be -1 or 1–3653, got ''"),
        (
            {"copy_retention_period": "-2"},
            "CopyRetentionPeriod must be -1 or 1–3653, got '-2'",
        ),
        ({"enabled": "yes"}, "Enabled must be 'true' or 'false', got 'yes'"),
        (
            {"destination_region": "eu-west-1"},
            "DestinationRegion must be a region other than the namespace's own (eu-west-1), "
            "or 'none', got 'eu-west-1'",
        ),
        (
            {"destination_region": "EU-CENTRAL-1"},
            "DestinationRegion must be an AWS region name such as eu-central-1, or 'none', "
            "got 'EU-CENTRAL-1'",
        ),
        (
            {"destination_kms_key_id": "my key"},
            "DestinationKmsKeyId must be a KMS key id, key ARN, alias name ('alias/...') "
            "or alias ARN, got 'my key'",
        ),
        (
            {"role_arn": "arn:aws:iam::123:role/x"},
            "RoleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/name, "
            "got 'arn:aws:iam::123:role/x'",
        ),
        (
            {"snapshot_name_prefix": "Nightly_"},
            "SnapshotNamePrefix must be 1-235 characters of a-z, 0-9 and '-', got 'Nightly_'",
        ),
        (
            {"snapshot_name_prefix": "a" * 236},
            "SnapshotNamePrefix must be 1-235 characters of a-z, 0-9 and '-'",
        ),
        (
            {"scheduled_action_name": "x" * 61},
            "ScheduledActionName must be 3-60 characters of a-z, 0-9 and '-'",
        ),
        ({"schedule": "0/15 * * * ? *"}, "Schedule must be a 6-field cron expression"),
        (
            {"schedule": "2020-01-01T00:00:00Z"},
            "Schedule must be a future ISO 8601 time such as 2030-01-31T04:00:00Z "
            "(bare or 'at(...)'), got '2020-01-01T00:00:00Z' (that time has passed)",
        ),
        (
            {"schedule": "0 0 * * ? 2020"},
            "Schedule must be a cron expression that still fires, got '0 0 * * ? 2020' "
            "(it has no invocation after now)",
        ),
        (
            {"schedule": "0 4 30 2 ? *"},
            "Schedule must be a cron expression that still fires, got '0 4 30 2 ? *'",
        ),
        (
            {"schedule": "at(next tuesday)"},
            "Schedule must be a future ISO 8601 time such as 2030-01-31T04:00:00Z "
            "(bare or 'at(...)'), got 'at(next tuesday)'",
        ),
        (
            {"retention": "7"},
            "overrides must be one of schedule, role_arn, retention_period",
        ),
    ],
)
def test_build_spec_rejects_bad_values_naming_the_property(
    overrides: dict[str, str], message: str
) -> None:
    # given one bad property value

    # when a spec is built
    with pytest.raises(SpecError) as raised:
        build(overrides)

    # then the error names the property as written, the value and what is accepted
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("name", ["ab", "a" * 65, "Analytics", "ana_lytics"])
def test_build_spec_rejects_bad_namespace_names(name: str) -> None:
    # given an illegal namespace name

    # when a spec is built
    with pytest.raises(SpecError) as raised:
        build({}, namespace_name=name)

    # then the error names it
    assert str(raised.value) == (
        f"namespace_name must be 3-64 characters of a-z, 0-9 and '-', got {name!r}"
    )


@pytest.mark.parametrize(
    "text", ["2027-03-01T04:00:00Z", "at(2027-03-01T04:00:00)", "2027-03-01T05:00:00+01:00"]
)
def test_build_spec_accepts_one_off_times(text: str) -> None:
    # given a future one-off time in any accepted form

    # when a spec is built
    spec = build({"schedule": text})

    # then it is a one-off UTC schedule that fires once
    moment = datetime(2027, 3, 1, 4, 0, tzinfo=UTC)
    assert spec.schedule == Schedule(at=moment)
    assert spec.schedule.to_api() == {"at": moment}
    assert spec.schedule.next_invocations(NOW) == [moment]
    assert spec.schedule.next_invocations(moment) == []


@pytest.mark.parametrize(
    ("wire_format", "sent"),
    [("cron", "cron(0 6 * * ? *)"), ("parens", "(0 6 * * ? *)"), ("bare", "0 6 * * ? *")],
)
def test_schedule_to_api_uses_the_wire_format(wire_format: str, sent: str) -> None:
    # given a cron schedule and a wire format
    environ = ENVIRON | {"CRON_WIRE_FORMAT": wire_format, "SCHED": "cron(0 6 * * ? *)"}

    # when it is turned into the API's union
    spec = build_spec("analytics", Defaults.from_environ(environ), Owner.listener(), now=NOW)

    # then the expression is wrapped as configured
    assert spec.schedule.to_api() == {"cron": sent}
