"""The emulator's EventBridge cron: what it accepts, what it refuses and when it fires."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moto_redshift_serverless.cron import CronError, parse


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _following(expression: str, after: datetime, count: int) -> list[datetime]:
    schedule = parse(expression)
    times: list[datetime] = []
    moment: datetime | None = after
    while len(times) < count:
        assert moment is not None
        moment = schedule.next_after(moment)
        if moment is None:
            break
        times.append(moment)
    return times


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("0 0,8,16 * * ? *", "0 0,8,16 * * ? *"),
        ("(0 10 ? * MON *)", "0 10 ? * MON *"),
        ("cron(0 10 ? * MON *)", "0 10 ? * MON *"),
        ("  CRON(  15   12 * * ?  * )  ", "15 12 * * ? *"),
        ("0 10 ? * mon-fri *", "0 10 ? * MON-FRI *"),
        ("0 0 L * ? *", "0 0 L * ? *"),
        ("0 0 15W * ? *", "0 0 15W * ? *"),
        ("0 0 ? * 6L *", "0 0 ? * 6L *"),
        ("0 0 ? * L *", "0 0 ? * L *"),
        ("0 0 ? * 3#2 *", "0 0 ? * 3#2 *"),
        ("0 */2 1-15/3 JAN-JUN/2 ? 2026-2030/2", "0 */2 1-15/3 JAN-JUN/2 ? 2026-2030/2"),
        ("0/60 0 * * ? 1970", "0/60 0 * * ? 1970"),
        ("5 " + ",".join(str(h) for h in range(24)) + " * * ? *", None),
        ("0 0 * * ? 2199", "0 0 * * ? 2199"),
    ],
)
def test_parse_accepts_documented_forms(text: str, expression: str | None) -> None:
    # given a cron expression the EventBridge reference allows

    # when it is parsed
    schedule = parse(text)

    # then the normalised bare expression comes back
    assert schedule.expression == (expression or " ".join(text.split()))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0 0 * * *", "has 5 fields; a cron expression needs 6"),
        ("cron(0 0 * * ? * *)", "has 7 fields"),
        ("0,30 0 * * ? *", "Minutes value '0,30' fires more than once an hour"),
        ("*/30 0 * * ? *", "Minutes must resolve to a single minute"),
        ("* 0 * * ? *", "Minutes value '*' fires more than once an hour"),
        ("60 0 * * ? *", "Minutes value '60' is not valid ('60' is out of range); accepted: 0-59"),
        ("0 24 * * ? *", "Hours value '24' is not valid ('24' is out of range); accepted: 0-23"),
        ("0 0 * * * *", "Day-of-month '*' and Day-of-week '*': exactly one of them must be '?'"),
        ("0 0 ? * ? *", "Day-of-month '?' and Day-of-week '?': exactly one"),
        ("0 0 1 * MON *", "exactly one of them must be '?'"),
        ("0 0 0 * ? *", "Day-of-month value '0' is not valid ('0' is out of range)"),
        ("0 0 32 * ? *", "accepted: 1-31 with , - * / or one of ?, L, nW"),
        ("0 0 L-3 * ? *", "Day-of-month value 'L-3' is not valid: ?, L, W and # stand alone"),
        ("0 0 LW * ? *", "Day-of-month value 'LW' is not valid"),
        ("0 0 1,L * ? *", "Day-of-month value '1,L' is not valid"),
        ("0 0 32W * ? *", "Day-of-month value '32W' is not valid ('32' is out of range)"),
        ("0 0 * 13 ? *", "Month value '13' is not valid ('13' is out of range)"),
        ("0 0 * FOO ? *", "accepted: 1-12 or JAN-DEC with , - * /"),
        ("0 0 ? * 8 *", "Day-of-week value '8' is not valid ('8' is out of range)"),
        ("0 0 ? * 0 *", "accepted: 1-7 or SUN-SAT (1 = Sunday)"),
        ("0 0 ? * FRI-MON *", "Day-of-week value 'FRI-MON' has a range running backwards"),
        ("0 0 ? * */2 *", "Day-of-week value '*/2' uses '/', which Day-of-week does not accept"),
        ("0 0 ? * 3#1,6#3 *", "'#' takes one weekday and an occurrence 1-5"),
        ("0 0 ? * 3#6 *", "Day-of-week value '3#6' is not valid"),
        ("0 0 ? * 2,L *", "Day-of-week value '2,L' is not valid"),
        ("0 0 ? * 1-5L *", "Day-of-week value '1-5L' is not valid: ?, L, W and # stand alone"),
        ("0 0 ? * 5L,6 *", "Day-of-week value '5L,6' is not valid: ?, L, W and # stand alone"),
        ("0 0 \u0661W * ? *", "Day-of-month value '\u0661W' is not valid"),
        ("0 \u0661 * * ? *", "Hours value '\u0661' is not valid"),
        ("0 0 * * ? 1969", "Year value '1969' is not valid ('1969' is out of range)"),
        ("0 0 * * ? 2200", "accepted: 1970-2199 with , - * /"),
        ("0 0/0 * * ? *", "Hours value '0/0' has step 0"),
        ("0 10-5 * * ? *", "Hours value '10-5' has a range running backwards"),
        ("0 *-5 * * ? *", "Hours value '*-5' is not valid; accepted: 0-23"),
        ("0 1,,2 * * ? *", "Hours value '1,,2' is not valid"),
        (
            "0 0 " + ",".join(str(d) for d in range(1, 26)) + " * ? *",
            "lists 25 values; at most 24 comma-separated values are accepted",
        ),
    ],
)
def test_parse_rejects_with_field_value_and_rule(text: str, message: str) -> None:
    # given an expression the scheduler would refuse

    # when it is parsed
    with pytest.raises(CronError) as raised:
        parse(text)

    # then the message names the field, the value and what is accepted
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_next_after_default_schedule_three_times_a_day() -> None:
    # given the product's default schedule, asked just after an invocation
    after = _at(2026, 12, 31, 16, 0)

    # when the next invocations are computed
    times = _following("0 0,8,16 * * ? *", after, 3)

    # then they continue across the year boundary, strictly after the start
    assert times == [_at(2027, 1, 1, 0), _at(2027, 1, 1, 8), _at(2027, 1, 1, 16)]


def test_next_after_is_strictly_after_and_ignores_seconds() -> None:
    # given a moment inside the minute of an invocation
    schedule = parse("30 9 * * ? *")

    # when asked from the invocation itself and from seconds into it
    exact = schedule.next_after(_at(2026, 3, 1, 9, 30))
    inside = schedule.next_after(_at(2026, 3, 1, 9, 30) + timedelta(seconds=59))
    before = schedule.next_after(_at(2026, 3, 1, 9, 29) + timedelta(seconds=59))

    # then the current minute never counts
    assert exact == _at(2026, 3, 2, 9, 30)
    assert inside == _at(2026, 3, 2, 9, 30)
    assert before == _at(2026, 3, 1, 9, 30)


def test_next_after_converts_other_time_zones_to_utc() -> None:
    # given a moment written in UTC+2 (10:00 local is 08:00 UTC)
    local = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))

    # when the next 09:00 UTC invocation is computed
    moment = parse("0 9 * * ? *").next_after(local)

    # then it is the same day in UTC, returned in UTC
    assert moment == _at(2026, 6, 1, 9)
    assert moment is not None
    assert moment.tzinfo == UTC


def test_next_after_rejects_naive_datetime() -> None:
    # given a naive datetime
    schedule = parse("0 0 * * ? *")

    # when / then it is refused rather than guessed
    with pytest.raises(ValueError, match="aware datetime"):
        schedule.next_after(datetime(2026, 1, 1))


def test_next_after_last_day_of_month_through_leap_february() -> None:
    # given the last day of every month
    after = _at(2027, 12, 31, 12)

    # when five invocations are computed
    times = _following("0 12 L * ? *", after, 4)

    # then February 2028 ends on the 29th
    assert times == [
        _at(2028, 1, 31, 12),
        _at(2028, 2, 29, 12),
        _at(2028, 3, 31, 12),
        _at(2028, 4, 30, 12),
    ]


def test_next_after_february_29_only_in_leap_years() -> None:
    # given the 29th of February
    after = _at(2096, 3, 1)

    # when invocations are computed across a century
    times = _following("0 0 29 2 ? *", after, 2)

    # then 2100 is skipped (not a leap year)
    assert times == [_at(2104, 2, 29), _at(2108, 2, 29)]


def test_next_after_day_31_skips_short_months() -> None:
    # given the 31st of every month
    after = _at(2026, 1, 31)

    # when the next three are computed
    times = _following("0 0 31 * ? *", after, 3)

    # then months without a 31st are skipped
    assert times == [_at(2026, 3, 31), _at(2026, 5, 31), _at(2026, 7, 31)]


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        # 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th
        ("0 0 15W * ? *", _at(2026, 8, 1), _at(2026, 8, 14)),
        # 2026-03-15 is a Sunday: the nearest weekday is Monday the 16th
        ("0 0 15W * ? *", _at(2026, 3, 1), _at(2026, 3, 16)),
        # 2026-08-01 is a Saturday: 1W does not leave the month, so Monday the 3rd
        ("0 0 1W * ? *", _at(2026, 7, 31), _at(2026, 8, 3)),
        # 2026-05-31 is a Sunday: 31W does not leave the month, so Friday the 29th
        ("0 0 31W * ? *", _at(2026, 5, 1), _at(2026, 5, 29)),
        # 2026-04 has no 31st: 31W skips it
        ("0 0 31W * ? *", _at(2026, 4, 1), _at(2026, 5, 29)),
        # 2026-06-10 is a Wednesday: itself
        ("0 0 10W * ? *", _at(2026, 6, 1), _at(2026, 6, 10)),
    ],
)
def test_next_after_nearest_weekday(expression: str, after: datetime, expected: datetime) -> None:
    # given a W day-of-month

    # when the next invocation is computed
    moment = parse(expression).next_after(after)

    # then it is the weekday nearest the day, within the month
    assert moment == expected


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        # second Tuesday of December 2026 (the 1st is a Tuesday)
        ("0 0 ? * 3#2 *", _at(2026, 12, 1), _at(2026, 12, 8)),
        # fifth Friday after 29 January 2027: February and March 2027 have none
        ("0 0 ? * FRI#5 *", _at(2027, 1, 30), _at(2027, 4, 30)),
        # last Friday of the month
        ("0 0 ? * 6L *", _at(2026, 12, 1), _at(2026, 12, 25)),
        # L alone is the last day of the week, Saturday
        ("0 0 ? * L *", _at(2026, 12, 3), _at(2026, 12, 5)),
        # Sunday is 1
        ("0 0 ? * 1 *", _at(2026, 12, 3), _at(2026, 12, 6)),
        ("0 0 ? * SUN *", _at(2026, 12, 3), _at(2026, 12, 6)),
        # weekdays only, from a Friday evening
        ("0 6 ? * MON-FRI *", _at(2026, 12, 4, 7), _at(2026, 12, 7, 6)),
    ],
)
def test_next_after_day_of_week_forms(expression: str, after: datetime, expected: datetime) -> None:
    # given a day-of-week schedule

    # when the next invocation is computed
    moment = parse(expression).next_after(after)

    # then it lands on the documented day
    assert moment == expected


def test_next_after_returns_none_when_years_are_exhausted() -> None:
    # given a schedule bounded to one year
    schedule = parse("0 0 1 1 ? 2030")

    # when asked after its only invocation, and near the end of the accepted years
    after_last = schedule.next_after(_at(2030, 1, 1))
    last_possible = parse("59 23 31 12 ? *").next_after(_at(2199, 12, 31))
    beyond = parse("0 0 * * ? *").next_after(_at(2199, 12, 31, 0, 1))
    far_future = parse("0 0 * * ? *").next_after(_at(9999, 1, 1))

    # then nothing is left
    assert schedule.next_after(_at(2029, 6, 1)) == _at(2030, 1, 1)
    assert after_last is None
    assert last_possible == _at(2199, 12, 31, 23, 59)
    assert beyond is None
    assert far_future is None


def test_next_after_impossible_date_returns_none() -> None:
    # given a date no calendar has
    schedule = parse("0 0 30 FEB ? *")

    # when asked for the next invocation
    moment = schedule.next_after(_at(1970, 1, 1))

    # then there is none (and it did not take minute-by-minute iteration to find out)
    assert moment is None


_MINUTE = st.integers(0, 59).map(str)
_HOURS = st.sampled_from(["*", "0", "0,8,16", "*/5", "3-20/4", "23"])
_DAY_PAIRS = st.sampled_from(
    [
        ("*", "?"),
        ("1", "?"),
        ("L", "?"),
        ("15W", "?"),
        ("1W", "?"),
        ("31", "?"),
        ("29", "?"),
        ("1-31/7", "?"),
        ("?", "*"),
        ("?", "MON-FRI"),
        ("?", "6L"),
        ("?", "2#1"),
        ("?", "1#5"),
        ("?", "L"),
        ("?", "1,7"),
    ]
)
_MONTHS = st.sampled_from(["*", "2", "JAN,JUL", "*/3", "FEB-APR"])
_YEARS = st.sampled_from(["*", "2026-2030", "2027/2", "2028"])
_MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(_MINUTE, _HOURS, _DAY_PAIRS, _MONTHS, _YEARS, _MOMENTS)
def test_next_after_increasing_and_matching(
    minute: str,
    hours: str,
    days: tuple[str, str],
    months: str,
    years: str,
    moment: datetime,
) -> None:
    # given any valid schedule and any starting moment
    schedule = parse(f"{minute} {hours} {days[0]} {months} {days[1]} {years}")

    # when a few invocations are chained
    times = _following(schedule.expression, moment, 4)

    # then each is strictly later than the one before, matches the expression and skips nothing
    previous = moment
    for current in times:
        assert current > previous
        assert current.second == 0
        assert current.microsecond == 0
        assert _matches_independently(schedule.expression, current)
        assert schedule.matches(current)
        previous = current


@settings(max_examples=60, deadline=None)
@given(_MINUTE, _HOURS, _DAY_PAIRS, _MOMENTS)
def test_next_after_skips_no_invocation(
    minute: str, hours: str, days: tuple[str, str], moment: datetime
) -> None:
    # given a schedule that fires at least monthly
    schedule = parse(f"{minute} {hours} {days[0]} * {days[1]} *")

    # when the next invocation is computed
    found = schedule.next_after(moment)

    # then no minute between the start and it is an invocation (checked hour by hour)
    assert found is not None
    probe = moment.replace(minute=int(minute), second=0, microsecond=0)
    while probe < found:
        if probe > moment:
            assert not _matches_independently(schedule.expression, probe)
        probe += timedelta(hours=1)


def _matches_independently(expression: str, t: datetime) -> bool:
    """A brute-force reading of the expression, written apart from the module's own logic."""
    minute, hours, dom, month, dow, year = expression.split()
    length = calendar.monthrange(t.year, t.month)[1]
    weekday = t.isoweekday() % 7 + 1  # Sunday = 1

    def in_list(text: str, value: int, low: int, high: int, names: list[str]) -> bool:
        for item in text.split(","):
            for index, name in enumerate(names):
                item = item.replace(name, str(low + index))
            base, _, step = item.partition("/")
            if base == "*":
                first, last = low, high
            elif "-" in base:
                first, last = (int(part) for part in base.split("-"))
            else:
                first = int(base)
                last = high if step else first
            if first <= value <= last and (value - first) % int(step or 1) == 0:
                return True
        return False

    months = [name.upper() for name in calendar.month_abbr[1:]]
    weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    if dom == "?":
        if dow == "L":
            day_ok = weekday == 7
        elif dow.endswith("L"):
            day_ok = weekday == int(dow[:-1]) and t.day > length - 7
        elif "#" in dow:
            wanted, nth = (int(part) for part in dow.split("#"))
            day_ok = weekday == wanted and (t.day - 1) // 7 + 1 == nth
        else:
            day_ok = in_list(dow, weekday, 1, 7, weekdays)
    elif dom == "L":
        day_ok = t.day == length
    elif dom.endswith("W"):
        target = int(dom[:-1])
        candidates = [
            d for d in range(1, length + 1) if datetime(t.year, t.month, d).isoweekday() <= 5
        ]
        day_ok = target <= length and t.day == min(candidates, key=lambda d: (abs(d - target), d))
    else:
        day_ok = in_list(dom, t.day, 1, 31, [])

    return (
        in_list(minute, t.minute, 0, 59, [])
        and in_list(hours, t.hour, 0, 23, [])
        and day_ok
        and in_list(month, t.month, 1, 12, months)
        and in_list(year, t.year, 1970, 2199, [])
    )
