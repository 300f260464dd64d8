"""Cron parsing, validation (including the one-hour rule) and offline next invocations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_resource.cron import DEFAULT_SCHEDULE, parse_cron
from custom_resource.errors import SpecError

UTC_NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("0 0,8,16 * * ? *", "0 0,8,16 * * ? *"),
        ("(0 0,8,16 * * ? *)", "0 0,8,16 * * ? *"),
        ("cron(0 0,8,16 * * ? *)", "0 0,8,16 * * ? *"),
        ("  cron( 0   0,8,16 * *  ? * )  ", "0 0,8,16 * * ? *"),
        ("CRON(15 */6 ? * mon-fri *)", "15 */6 ? * MON-FRI *"),
        ("0 3 1 jan,jul ? 2027-2030", "0 3 1 JAN,JUL ? 2027-2030"),
        ("30 9 L * ? *", "30 9 L * ? *"),
        ("30 9 15W * ? *", "30 9 15W * ? *"),
        ("30 9 ? * L *", "30 9 ? * L *"),
        ("30 9 ? * 6L *", "30 9 ? * 6L *"),
        ("30 9 ? * MON#2 *", "30 9 ? * MON#2 *"),
        ("0 0-23/2 1-31/3 */2 ? *", "0 0-23/2 1-31/3 */2 ? *"),
        ("59 23 31 12 ? 2199", "59 23 31 12 ? 2199"),
    ],
)
def test_parse_cron_accepts_and_normalises(text: str, normalised: str) -> None:
    # given a valid expression in any accepted wrapping

    # when it is parsed
    expression = parse_cron(text)

    # then it is stored bare and normalised
    assert expression.expression == normalised


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("* * * * ? *", "the minutes field must name exactly one minute"),
        ("*/30 * * * ? *", "the minutes field must name exactly one minute"),
        ("0,30 8 * * ? *", "the minutes field must name exactly one minute"),
        ("0-1 8 * * ? *", "the minutes field must name exactly one minute"),
        ("0 0 * * *", "found 5 field(s), expected 6"),
        ("0 0 * * ? * *", "found 7 field(s), expected 6"),
        ("", "found 0 field(s), expected 6"),
        ("0 0 * * * *", "exactly one of day-of-month and day-of-week must be '?'"),
        ("0 0 ? * ? *", "exactly one of day-of-month and day-of-week must be '?'"),
        ("60 0 * * ? *", "the minutes value 60 is outside 0-59"),
        ("0 24 * * ? *", "the hours value 24 is outside 0-23"),
        ("0 0 32 * ? *", "the day-of-month value 32 is outside 1-31"),
        ("0 0 0 * ? *", "the day-of-month value 0 is outside 1-31"),
        ("0 0 * 13 ? *", "the month value 13 is outside 1-12"),
        ("0 0 ? * 8 *", "the day-of-week value 8 is outside 1-7"),
        ("0 0 * * ? 1969", "the year value 1969 is outside 1970-2199"),
        ("0 0 * * ? 2200", "the year value 2200 is outside 1970-2199"),
        ("0 5-3 * * ? *", "the hours range '5-3' runs backwards"),
        ("0 0 ? * FRI-MON *", "the day-of-week range 'FRI-MON' runs backwards"),
        ("0 */0 * * ? *", "the hours step in '*/0' must be a positive integer"),
        ("0 0 ? * */2 *", "the day-of-week field does not allow '/' steps"),
        ("0 0 LW * ? *", "'LW' is not a valid day-of-month value (1-31)"),
        ("0 0 ? * 2#6 *", "the day-of-week occurrence in '2#6' must be 1-5"),
        ("0 0 * FOO ? *", "'FOO' is not a valid month value (1-12)"),
        ("0 ? * * ? *", "'?' is not a valid hours value (0-23)"),
        ("rate(1 hour)", "found 2 field(s), expected 6"),
        ("0 0 " + ",".join(str(d) for d in range(1, 26)) + " * ? *", "more than 24 values"),
    ],
)
def test_parse_cron_rejects_with_reason(text: str, reason: str) -> None:
    # given an invalid expression

    # when it is parsed
    with pytest.raises(SpecError) as raised:
        parse_cron(text, field="Schedule")

    # then the error names the field, the value, what is accepted and why
    message = str(raised.value)
    assert raised.value.field == "Schedule"
    assert raised.value.value == text
    assert message.startswith("Schedule must be a 6-field cron expression")
    assert "firing at most once an hour" in message
    assert f"got {text!r}" in message
    assert reason in message


def test_parse_cron_accepts_24_values_in_a_field() -> None:
    # given the largest list AWS allows
    text = "0 " + ",".join(str(h) for h in range(24)) + " * * ? *"

    # when it is parsed
    expression = parse_cron(text)

    # then every hour is an invocation
    assert len(expression.next_invocations(UTC_NOON, 24)) == 24


def test_parse_cron_equality_ignores_wrapping_and_case() -> None:
    # given one schedule written three ways
    forms = ["0 8 ? * mon *", "(0 8 ? * MON *)", "cron(0  8 ? * Mon *)"]

    # when each is parsed
    parsed = {parse_cron(text) for text in forms}

    # then they are one expression
    assert len(parsed) == 1


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        (
            DEFAULT_SCHEDULE,
            UTC_NOON,
            ["2026-12-03T16:00", "2026-12-04T00:00", "2026-12-04T08:00"],
        ),
        (
            DEFAULT_SCHEDULE,
            datetime(2026, 12, 3, 16, 0, tzinfo=UTC),  # strictly after: 16:00 itself is skipped
            ["2026-12-04T00:00", "2026-12-04T08:00", "2026-12-04T16:00"],
        ),
        ("30 9 L * ? *", UTC_NOON, ["2026-12-31T09:30", "2027-01-31T09:30", "2027-02-28T09:30"]),
        # 1 Aug 2027 is a Sunday: 1W moves forward to Monday the 2nd, never into July
        ("0 6 1W 8 ? *", UTC_NOON, ["2027-08-02T06:00", "2028-08-01T06:00", "2029-08-01T06:00"]),
        # 31 Jan 2027 is a Sunday: 31W moves back to Friday the 29th
        ("0 6 31W 1 ? *", UTC_NOON, ["2027-01-29T06:00", "2028-01-31T06:00", "2029-01-31T06:00"]),
        # February has no 30th: 30W fires nothing that month (the emulator reads it the same way)
        ("0 6 30W * ? *", UTC_NOON, ["2026-12-30T06:00", "2027-01-29T06:00", "2027-03-30T06:00"]),
        ("0 6 31 * ? *", UTC_NOON, ["2026-12-31T06:00", "2027-01-31T06:00", "2027-03-31T06:00"]),
        ("0 6 29 2 ? *", UTC_NOON, ["2028-02-29T06:00", "2032-02-29T06:00", "2036-02-29T06:00"]),
        (
            "15 10 ? * MON#1 *",
            UTC_NOON,
            ["2026-12-07T10:15", "2027-01-04T10:15", "2027-02-01T10:15"],
        ),
        ("0 0 ? * 6L *", UTC_NOON, ["2026-12-25T00:00", "2027-01-29T00:00", "2027-02-26T00:00"]),
        ("0 0 ? * L *", UTC_NOON, ["2026-12-05T00:00", "2026-12-12T00:00", "2026-12-19T00:00"]),
        ("0 0 ? * 1 *", UTC_NOON, ["2026-12-06T00:00", "2026-12-13T00:00", "2026-12-20T00:00"]),
        ("0 12 1 1 ? 2027", UTC_NOON, ["2027-01-01T12:00"]),
        ("0 12 1 1 ? 2020", UTC_NOON, []),
    ],
)
def test_next_invocations_table(text: str, after: datetime, expected: list[str]) -> None:
    # given a parsed expression
    expression = parse_cron(text)

    # when the next three invocations are computed
    invocations = expression.next_invocations(after, 3)

    # then they are the expected UTC times
    assert [moment.strftime("%Y-%m-%dT%H:%M") for moment in invocations] == expected
    assert all(moment.tzinfo == UTC for moment in invocations)


def test_next_invocations_treats_other_zones_and_naive_times_as_instants() -> None:
    # given the same instant as naive UTC and as UTC+2
    expression = parse_cron(DEFAULT_SCHEDULE)
    naive = datetime(2026, 12, 3, 12, 0)
    plus_two = datetime(2026, 12, 3, 14, 0, tzinfo=timezone(timedelta(hours=2)))

    # when invocations are computed from each
    from_naive = expression.next_invocations(naive, 2)
    from_plus_two = expression.next_invocations(plus_two, 2)

    # then both agree with UTC
    assert from_naive == from_plus_two == expression.next_invocations(UTC_NOON, 2)
