"""Our cron against the emulator's independent implementation, over generated expressions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from custom_resource.cron import parse_cron
from moto_redshift_serverless import cron as emulator_cron

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def plain_field(low: int, high: int, names: list[str] | None = None) -> st.SearchStrategy[str]:
    """Values, ranges, steps, lists and '*' within [low, high], names where the field has them."""
    value = st.integers(low, high)
    token = value.map(str)
    if names:
        token = st.one_of(token, value.map(lambda v: names[v - low]))
    ordered = st.tuples(value, value).map(sorted)
    return st.one_of(
        st.just("*"),
        token,
        ordered.map(lambda r: f"{r[0]}-{r[1]}"),
        st.tuples(value, st.integers(1, high - low + 1)).map(lambda p: f"{p[0]}/{p[1]}"),
        st.integers(1, high - low + 1).map(lambda n: f"*/{n}"),
        st.tuples(ordered, st.integers(1, 5)).map(lambda p: f"{p[0][0]}-{p[0][1]}/{p[1]}"),
        st.lists(token, min_size=2, max_size=5).map(",".join),
    )


def weekday_field() -> st.SearchStrategy[str]:
    day = st.integers(1, 7)
    token = st.one_of(day.map(str), day.map(lambda d: DAYS[d - 1]))
    return st.one_of(
        st.just("*"),
        token,
        st.tuples(day, day).map(sorted).map(lambda r: f"{r[0]}-{r[1]}"),
        st.lists(token, min_size=2, max_size=4).map(",".join),
        st.just("L"),
        day.map(lambda d: f"{d}L"),
        st.tuples(day, st.integers(1, 5)).map(lambda p: f"{p[0]}#{p[1]}"),
    )


def month_day_field() -> st.SearchStrategy[str]:
    return st.one_of(plain_field(1, 31), st.just("L"), st.integers(1, 31).map(lambda d: f"{d}W"))


@st.composite
def expressions(draw: st.DrawFn) -> str:
    minute = draw(st.integers(0, 59))
    hours = draw(plain_field(0, 23))
    if draw(st.booleans()):
        month_day, week_day = draw(month_day_field()), "?"
    else:
        month_day, week_day = "?", draw(weekday_field())
    month = draw(plain_field(1, 12, MONTHS))
    year = draw(st.one_of(st.just("*"), plain_field(2024, 2040)))
    return f"{minute} {hours} {month_day} {month} {week_day} {year}"


def emulator_invocations(text: str, after: datetime, count: int) -> list[datetime]:
    schedule = emulator_cron.parse(text)
    found: list[datetime] = []
    moment: datetime | None = after
    while len(found) < count and moment is not None:
        moment = schedule.next_after(moment)
        if moment is not None:
            found.append(moment)
    return found


@settings(max_examples=100, deadline=None)
@given(
    expressions(),
    st.datetimes(datetime(2024, 1, 1), datetime(2031, 12, 31), timezones=st.just(UTC)),
)
def test_next_invocations_agrees_with_the_emulator(text: str, after: datetime) -> None:
    # given a valid expression and a moment

    # when both implementations compute the next invocations
    ours = parse_cron(text).next_invocations(after, 5)
    theirs = emulator_invocations(text, after, 5)

    # then they agree exactly
    assert ours == theirs
    assert all(moment > after for moment in ours)


@settings(max_examples=50, deadline=None)
@given(expressions())
def test_parse_cron_and_the_emulator_normalise_alike(text: str) -> None:
    # given a valid expression wrapped as cron(...), in lower case
    wrapped = f"cron({text.lower()})"

    # when both parse it

    # then both accept it and store the same bare form
    assert parse_cron(wrapped).expression == emulator_cron.parse(wrapped).expression


def test_next_invocations_agrees_with_the_emulator_across_a_leap_day() -> None:
    # given the rarest schedule: 29 February
    text = "0 6 29 2 ? *"
    after = datetime(2027, 3, 1, tzinfo=UTC) - timedelta(days=1)

    # when both compute the next two invocations

    # then they agree on 2028 and 2032
    assert parse_cron(text).next_invocations(after, 2) == emulator_invocations(text, after, 2)
