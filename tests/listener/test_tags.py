"""Namespace tags: opt-out and all-or-nothing overrides of the default spec."""

from __future__ import annotations

import pytest

from custom_resource.spec import RETENTION_ACCEPTED, Defaults
from event_listener.tags import build_namespace_spec, read_tag_settings, tags_from_api

ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"


@pytest.fixture
def defaults() -> Defaults:
    return Defaults.from_environ({"ROLE_ARN": ROLE_ARN, "DEST_REGION": "eu-central-1"})


def test_tags_from_api_turns_the_tag_list_into_a_dict() -> None:
    # when
    tags = tags_from_api(
        [{"key": "team", "value": "bi"}, {"key": "snapshot-schedule", "value": ""}]
    )

    # then
    assert tags == {"team": "bi", "snapshot-schedule": ""}


@pytest.mark.parametrize("value", ["off", "OFF", " Off "])
def test_read_tag_settings_opt_out(value: str) -> None:
    # when
    settings = read_tag_settings({"snapshot-schedule": value})

    # then
    assert settings.opted_out
    assert settings.problems == ()


def test_read_tag_settings_opt_out_follows_the_configured_key() -> None:
    # when
    default_key = read_tag_settings({"snapshot-schedule": "off"}, "backup")
    custom_key = read_tag_settings({"backup": "off"}, "backup")

    # then
    assert not default_key.opted_out
    assert custom_key.opted_out


def test_read_tag_settings_opt_out_with_an_unknown_value_is_a_problem() -> None:
    # when
    settings = read_tag_settings({"snapshot-schedule": "disabled"})

    # then
    assert not settings.opted_out
    assert settings.problems == ("tag snapshot-schedule must be 'off' or 'on', got 'disabled'",)


def test_read_tag_settings_collects_overrides() -> None:
    # when
    settings = read_tag_settings(
        {
            "snapshot-schedule:schedule": "0 3 * * ? *",
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:destination-region": "none",
            "snapshot-schedule:copy-retention-period": "3",
            "team": "bi",
        }
    )

    # then
    assert not settings.opted_out
    assert settings.overrides == {
        "schedule": "0 3 * * ? *",
        "retention_period": "30",
        "destination_region": "none",
        "copy_retention_period": "3",
    }
    assert settings.field_names["retention_period"] == "tag snapshot-schedule:retention-period"


def test_build_namespace_spec_applies_valid_overrides(defaults: Defaults) -> None:
    # given
    settings = read_tag_settings(
        {
            "snapshot-schedule:schedule": "cron(0 3 * * ? *)",
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:destination-region": "us-west-2",
            "snapshot-schedule:copy-retention-period": "3",
        }
    )

    # when
    built = build_namespace_spec("sales-analytics", defaults, settings)

    # then
    assert built.problems == ()
    assert built.spec.schedule.cron is not None
    assert built.spec.schedule.cron.expression == "0 3 * * ? *"
    assert built.spec.retention_period == 30
    assert built.spec.destination_region == "us-west-2"
    assert built.spec.copy_retention_period == 3
    assert built.spec.owner.is_listener


def test_build_namespace_spec_without_tags_uses_the_defaults(defaults: Defaults) -> None:
    # when
    built = build_namespace_spec("sales-analytics", defaults, read_tag_settings({}))

    # then
    assert built.problems == ()
    assert built.spec.retention_period == 7
    assert built.spec.destination_region == "eu-central-1"
    assert built.spec.scheduled_action_name == "snapshot-sales-analytics"


def test_build_namespace_spec_invalid_override_falls_back_to_all_defaults(
    defaults: Defaults,
) -> None:
    # given: one good override and one bad one
    settings = read_tag_settings(
        {
            "snapshot-schedule:retention-period": "30",
            "snapshot-schedule:schedule": "*/5 * * * ? *",
        }
    )

    # when
    built = build_namespace_spec("sales-analytics", defaults, settings)

    # then: the good one is not applied either, and the problem names the tag and the value
    assert built.spec.retention_period == 7
    assert built.spec.schedule.cron is not None
    assert built.spec.schedule.cron.expression == "0 0,8,16 * * ? *"
    assert len(built.problems) == 1
    assert "tag snapshot-schedule:schedule" in built.problems[0]
    assert "'*/5 * * * ? *'" in built.problems[0]


def test_build_namespace_spec_bad_retention_names_tag_value_and_range(defaults: Defaults) -> None:
    # given
    settings = read_tag_settings({"snapshot-schedule:retention-period": "0"})

    # when
    built = build_namespace_spec("sales-analytics", defaults, settings)

    # then
    assert built.problems == (
        f"tag snapshot-schedule:retention-period must be {RETENTION_ACCEPTED}, got '0'",
    )
    assert built.spec.retention_period == 7


def test_build_namespace_spec_unknown_override_key_falls_back(defaults: Defaults) -> None:
    # given
    settings = read_tag_settings(
        {"snapshot-schedule:retention": "30", "snapshot-schedule:schedule": "0 3 * * ? *"}
    )

    # when
    built = build_namespace_spec("sales-analytics", defaults, settings)

    # then
    assert built.spec.schedule.cron is not None
    assert built.spec.schedule.cron.expression == "0 0,8,16 * * ? *"
    assert built.problems == (
        "tag snapshot-schedule:retention is not a known override; accepted: "
        "snapshot-schedule:schedule, snapshot-schedule:retention-period, "
        "snapshot-schedule:destination-region, snapshot-schedule:copy-retention-period",
    )


def test_build_namespace_spec_destination_in_the_namespaces_region_falls_back(
    defaults: Defaults,
) -> None:
    # given
    settings = read_tag_settings(
        {
            "snapshot-schedule:destination-region": "eu-west-1",
            "snapshot-schedule:retention-period": "30",
        }
    )

    # when
    built = build_namespace_spec("sales-analytics", defaults, settings, region="eu-west-1")

    # then: rejected like any bad override; the plain defaults are used
    assert built.problems == (
        "tag snapshot-schedule:destination-region must be a region other than the namespace's "
        "own (eu-west-1), or 'none', got 'eu-west-1'",
    )
    assert built.spec.destination_region == "eu-central-1"
    assert built.spec.retention_period == 7
