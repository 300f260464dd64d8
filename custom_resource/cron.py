"""EventBridge 6-field cron expressions: parse, validate, normalise and compute invocations.

The fields are ``Minutes Hours Day-of-month Month Day-of-week Year``, all in UTC. Supported:
``, - *`` in every field and ``/`` in all but day-of-week; names JAN-DEC and SUN-SAT
(1 = Sunday); ``?`` in exactly one of day-of-month / day-of-week; ``L`` and ``<n>W`` in
day-of-month; ``L``, ``<d>L`` and ``<d>#<n>`` in day-of-week. The special forms stand alone in
their field; backward ranges such as ``FRI-MON`` and ``LW`` are refused, as nothing documents how
AWS reads them. Schedules must fire at most once an hour, which for a single UTC cron means the
minutes field resolves to exactly one value.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from custom_resource.errors import SpecError

DEFAULT_SCHEDULE = "0 0,8,16 * * ? *"

_ACCEPTED = (
    "a 6-field cron expression 'Minutes Hours Day-of-month Month Day-of-week Year' "
    "(bare, '(...)' or 'cron(...)') firing at most once an hour"
)
_MAX_LIST_VALUES = 24
_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_WEEKDAY_NAMES = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_FIELD_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
_FIELD_TITLES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
_WRAPPED = re.compile(r"^(?:cron)?\((?P<body>.*)\)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class _DaySpec:
    """The day-of-month / day-of-week fields, which allow more than plain value sets."""

    month_days: frozenset[int] | None = None  # None: '?'
    last_day_of_month: bool = False
    nearest_weekday: int | None = None
    weekdays: frozenset[int] | None = None  # None: '?'
    last_weekday_in_month: int | None = None  # '<d>L'
    nth_weekday: tuple[int, int] | None = None  # '<d>#<n>'

    def matches(self, year: int, month: int, day: int) -> bool:
        length = calendar.monthrange(year, month)[1]
        weekday = _cron_weekday(year, month, day)
        if self.last_day_of_month:
            return day == length
        if self.nearest_weekday is not None:
            # NOTE: a month without day n has no invocation (unverified; the emulator agrees).
            if self.nearest_weekday > length:
                return False
            return day == _nearest_weekday(year, month, self.nearest_weekday)
        if self.month_days is not None:
            return day in self.month_days
        if self.last_weekday_in_month is not None:
            return weekday == self.last_weekday_in_month and day + 7 > length
        if self.nth_weekday is not None:
            wanted, nth = self.nth_weekday
            return weekday == wanted and (day - 1) // 7 + 1 == nth
        assert self.weekdays is not None  # noqa: S101 - parse_cron guarantees one of the fields
        return weekday in self.weekdays


@dataclass(frozen=True)
class CronExpression:
    """A validated cron expression; equal expressions have equal normalised text.

    ``expression`` is the bare, normalised form: single spaces, upper-case names.
    """

    expression: str
    _minutes: tuple[int, ...] = field(repr=False, compare=False)
    _hours: tuple[int, ...] = field(repr=False, compare=False)
    _months: frozenset[int] = field(repr=False, compare=False)
    _years: tuple[int, ...] = field(repr=False, compare=False)
    _days: _DaySpec = field(repr=False, compare=False)

    def next_invocations(self, after: datetime, count: int) -> list[datetime]:
        """Return up to ``count`` invocation times strictly after ``after``, in UTC.

        A naive ``after`` is taken as UTC. Fewer are returned when the year field runs out.
        """
        start = after.replace(tzinfo=UTC) if after.tzinfo is None else after.astimezone(UTC)
        found: list[datetime] = []
        for moment in self._iter_from(start):
            if len(found) >= count:
                break
            found.append(moment)
        return found

    def _iter_from(self, start: datetime) -> Iterator[datetime]:
        start_day = start.date()
        for year in self._years:
            if year < start.year:
                continue
            for month in sorted(self._months):
                if (year, month) < (start.year, start.month):
                    continue
                for day in range(1, calendar.monthrange(year, month)[1] + 1):
                    if (year, month, day) < (start_day.year, start_day.month, start_day.day):
                        continue
                    if not self._days.matches(year, month, day):
                        continue
                    for hour in self._hours:
                        for minute in self._minutes:
                            moment = datetime(year, month, day, hour, minute, tzinfo=UTC)
                            if moment > start:
                                yield moment


def parse_cron(text: str, *, field: str = "Schedule") -> CronExpression:
    """Parse a cron expression written bare, as ``(...)`` or as ``cron(...)``.

    Raises SpecError naming ``field`` when the syntax is wrong or the schedule could fire more
    than once an hour.
    """
    body = text.strip()
    wrapped = _WRAPPED.match(body)
    if wrapped:
        body = wrapped.group("body").strip()
    parts = body.upper().split()
    if len(parts) != 6:
        raise SpecError(field, text, _ACCEPTED, f"found {len(parts)} field(s), expected 6")

    try:
        minutes = _parse_plain(parts[0], 0)
        hours = _parse_plain(parts[1], 1)
        months = _parse_plain(parts[3], 3, _MONTH_NAMES)
        years = _parse_plain(parts[5], 5)
        days = _parse_days(parts[2], parts[4])
    except ValueError as exc:
        raise SpecError(field, text, _ACCEPTED, str(exc)) from exc

    if len(minutes) != 1:
        raise SpecError(
            field,
            text,
            _ACCEPTED,
            "the minutes field must name exactly one minute: more than one fires "
            "several times within an hour",
        )
    return CronExpression(
        expression=" ".join(parts),
        _minutes=tuple(sorted(minutes)),
        _hours=tuple(sorted(hours)),
        _months=frozenset(months),
        _years=tuple(sorted(years)),
        _days=days,
    )


def _parse_plain(text: str, index: int, names: dict[str, int] | None = None) -> set[int]:
    """A field of values, ranges, steps and wildcards; raises ValueError with a reason."""
    title = _FIELD_TITLES[index]
    low, high = _FIELD_BOUNDS[index]
    items = text.split(",")
    if len(items) > _MAX_LIST_VALUES:
        raise ValueError(f"the {title} field lists more than {_MAX_LIST_VALUES} values")

    values: set[int] = set()
    for item in items:
        base, slash, step_text = item.partition("/")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first_text, _, last_text = base.partition("-")
            first = _value(first_text, title, low, high, names)
            last = _value(last_text, title, low, high, names)
            if first > last:
                raise ValueError(f"the {title} range {base!r} runs backwards")
        else:
            first = _value(base, title, low, high, names)
            last = high if slash else first
        step = 1
        if slash and index == 4:
            raise ValueError(f"the {title} field does not allow '/' steps")
        if slash:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError(f"the {title} step in {item!r} must be a positive integer")
            step = int(step_text)
        values.update(range(first, last + 1, step))
    return values


def _value(text: str, title: str, low: int, high: int, names: dict[str, int] | None) -> int:
    if names and text in names:
        return names[text]
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a valid {title} value ({low}-{high})")
    number = int(text)
    if not low <= number <= high:
        raise ValueError(f"the {title} value {number} is outside {low}-{high}")
    return number


def _parse_days(month_day: str, week_day: str) -> _DaySpec:
    """Day-of-month and day-of-week together: exactly one of them must be '?'."""
    if (month_day == "?") == (week_day == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")

    if week_day == "?":
        if month_day == "L":
            return _DaySpec(last_day_of_month=True)
        nearest = re.fullmatch(r"(\d{1,2})W", month_day)
        if nearest:
            return _DaySpec(nearest_weekday=_value(nearest.group(1), "day-of-month", 1, 31, None))
        return _DaySpec(month_days=frozenset(_parse_plain(month_day, 2)))

    if week_day == "L":
        return _DaySpec(weekdays=frozenset({7}))
    last = re.fullmatch(r"(\w+)L", week_day)
    if last:
        return _DaySpec(last_weekday_in_month=_weekday(last.group(1)))
    nth = re.fullmatch(r"(\w+)#(\d)", week_day)
    if nth:
        number = int(nth.group(2))
        if not 1 <= number <= 5:
            raise ValueError(f"the day-of-week occurrence in {week_day!r} must be 1-5")
        return _DaySpec(nth_weekday=(_weekday(nth.group(1)), number))
    return _DaySpec(weekdays=frozenset(_parse_plain(week_day, 4, _WEEKDAY_NAMES)))


def _weekday(text: str) -> int:
    return _value(text, "day-of-week", 1, 7, _WEEKDAY_NAMES)


def _cron_weekday(year: int, month: int, day: int) -> int:
    """1 = Sunday ... 7 = Saturday, as EventBridge counts."""
    return (calendar.weekday(year, month, day) + 1) % 7 + 1


def _nearest_weekday(year: int, month: int, day: int) -> int:
    """The Monday-Friday day closest to ``day`` without leaving the month (the 'W' rule)."""
    length = calendar.monthrange(year, month)[1]
    weekday = calendar.weekday(year, month, day)  # Monday = 0
    if weekday == 5:  # Saturday: Friday before, or Monday after when the 1st
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday: Monday after, or Friday before when the last day
        return day + 1 if day < length else day - 2
    return day
