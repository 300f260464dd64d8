"""EventBridge 6-field cron, as the Redshift Serverless scheduler accepts it.

``Minutes Hours Day-of-month Month Day-of-week Year``, evaluated in UTC.

What is accepted, following the EventBridge cron reference:

- every field: ``,`` lists (at most 24 items), ``a-b`` ranges, ``*``; ``/`` steps (``*/n``,
  ``a/n``, ``a-b/n``) in every field except Day-of-week;
- Day-of-month: 1-31, ``?``, ``L`` (last day of the month), ``nW`` (the weekday nearest day n,
  never leaving the month);
- Month: 1-12 or JAN-DEC;
- Day-of-week: 1-7 or SUN-SAT (1 = Sunday), ``?``, ``L`` (Saturday, the last day of the week),
  ``nL`` (the last weekday n of the month), ``n#k`` (the k-th weekday n of the month, k 1-5);
- Year: 1970-2199;
- exactly one of Day-of-month and Day-of-week is ``?``;
- invocations at least one hour apart, which for one cron in UTC means the Minutes field resolves
  to a single minute.

Decisions where the reference is silent (the emulator is deliberately no more lenient than it):
``L``, ``nW``, ``nL`` and ``n#k`` stand alone in their field; ``L-n`` offsets, ``LW`` and
wrap-around ranges such as ``FRI-MON`` are rejected; ``nL`` in Day-of-week, which the reference
does not spell out, is accepted with the meaning Quartz-style crons give it; ``nW`` never leaves
the month (the 1st on a Saturday gives Monday the 3rd, a last day on a Sunday gives the Friday
before) and fires nowhere in a month shorter than n; names are case-insensitive. The normalised
expression keeps the user's tokens, upper-cased, joined by single spaces (``mon-fri`` becomes
``MON-FRI``, numbers stay numbers).

NOTE: these decisions are unverified against the live service, which may accept ``L-n``, ``LW``
or wrap-around ranges; the emulator then refuses what AWS would take.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_LIST_ITEMS = 24
MIN_YEAR = 1970
MAX_YEAR = 2199

_MONTH_NAMES = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_DAY_NAMES = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

_ACCEPTED = {
    "Minutes": "0-59 with , - * /",
    "Hours": "0-23 with , - * /",
    "Day-of-month": "1-31 with , - * / or one of ?, L, nW",
    "Month": "1-12 or JAN-DEC with , - * /",
    "Day-of-week": "1-7 or SUN-SAT (1 = Sunday) with , - * or one of ?, L, nL, n#k",
    "Year": "1970-2199 with , - * /",
}

_WRAPPED = re.compile(r"^(?:cron)?\((?P<inner>.*)\)$", re.IGNORECASE | re.DOTALL)
_ITEM = re.compile(r"^(?P<start>\*|[A-Z0-9]+)(?:-(?P<end>[A-Z0-9]+))?(?:/(?P<step>[0-9]+))?$")


class CronError(ValueError):
    """A cron expression the scheduler would refuse; str() names the field, value and rule."""


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int]
    allows_step: bool = True


_MINUTES = _Field("Minutes", 0, 59, {})
_HOURS = _Field("Hours", 0, 23, {})
_DAY_OF_MONTH = _Field("Day-of-month", 1, 31, {})
_MONTH = _Field("Month", 1, 12, _MONTH_NAMES)
_DAY_OF_WEEK = _Field("Day-of-week", 1, 7, _DAY_NAMES, allows_step=False)
_YEAR = _Field("Year", MIN_YEAR, MAX_YEAR, {})


@dataclass(frozen=True)
class CronSchedule:
    """A validated cron schedule; ``expression`` is the bare, normalised 6-field text."""

    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: tuple[int, ...]
    years: tuple[int, ...]
    # Day-of-month: a set of days, L or nW; all unset for "?".
    days_of_month: tuple[int, ...] | None
    last_day_of_month: bool
    nearest_weekday_to: int | None
    # Day-of-week (1 = Sunday): a set of days, nL or n#k; all unset for "?".
    days_of_week: tuple[int, ...] | None
    last_weekday_of_month: int | None
    nth_weekday_of_month: tuple[int, int] | None

    def next_after(self, t: datetime) -> datetime | None:
        """The first invocation strictly after ``t`` (aware), in UTC; None when there is none."""
        if t.tzinfo is None:
            raise ValueError("next_after needs an aware datetime, got a naive one")

        t = t.astimezone(UTC)
        if t.year > MAX_YEAR:
            return None
        start = t.replace(second=0, microsecond=0) + timedelta(minutes=1)

        # Walk field by field, from the year down, pruning everything before start.
        for year in self.years:
            if year < start.year:
                continue
            for month in self.months:
                if (year, month) < (start.year, start.month):
                    continue
                same_month = (year, month) == (start.year, start.month)
                for day in self._days(year, month):
                    if same_month and day < start.day:
                        continue
                    same_day = same_month and day == start.day
                    for hour in self.hours:
                        if same_day and hour < start.hour:
                            continue
                        same_hour = same_day and hour == start.hour
                        for minute in self.minutes:
                            if same_hour and minute < start.minute:
                                continue
                            return datetime(year, month, day, hour, minute, tzinfo=UTC)
        return None

    def matches(self, t: datetime) -> bool:
        """Whether ``t`` (aware; seconds ignored) is an invocation time."""
        t = t.astimezone(UTC)
        return (
            t.year in self.years
            and t.month in self.months
            and t.day in self._days(t.year, t.month)
            and t.hour in self.hours
            and t.minute in self.minutes
        )

    def _days(self, year: int, month: int) -> list[int]:
        """The days of one month on which the schedule fires, ascending."""
        first_weekday, length = calendar.monthrange(year, month)

        def day_of_week(day: int) -> int:
            # calendar counts Monday as 0; EventBridge counts Sunday as 1.
            return (first_weekday + day) % 7 + 1

        if self.days_of_month is not None:
            return [day for day in self.days_of_month if day <= length]
        if self.last_day_of_month:
            return [length]
        if self.nearest_weekday_to is not None:
            return _nearest_weekday(self.nearest_weekday_to, length, day_of_week)
        if self.days_of_week is not None:
            return [day for day in range(1, length + 1) if day_of_week(day) in self.days_of_week]
        if self.last_weekday_of_month is not None:
            wanted = self.last_weekday_of_month
            return [max(d for d in range(length - 6, length + 1) if day_of_week(d) == wanted)]
        if self.nth_weekday_of_month is not None:
            wanted, nth = self.nth_weekday_of_month
            matching = [d for d in range(1, length + 1) if day_of_week(d) == wanted]
            return matching[nth - 1 : nth]
        raise AssertionError("a parsed schedule always constrains the day")


def _nearest_weekday(day: int, length: int, day_of_week: Callable[[int], int]) -> list[int]:
    if day > length:
        return []
    weekday = day_of_week(day)
    if weekday == 7:  # Saturday: Friday before, or Monday after when the 1st.
        return [day + 2] if day == 1 else [day - 1]
    if weekday == 1:  # Sunday: Monday after, or Friday before when the last day.
        return [day - 2] if day == length else [day + 1]
    return [day]


def parse(text: str) -> CronSchedule:
    """Parse a cron expression written bare, as ``(…)`` or as ``cron(…)``.

    Raises CronError naming the field, the value and what is accepted.
    """
    body = text.strip()
    wrapped = _WRAPPED.match(body)
    if wrapped:
        body = wrapped.group("inner").strip()

    tokens = body.upper().split()
    if len(tokens) != 6:
        raise CronError(
            f"Schedule '{text}' has {len(tokens)} fields; a cron expression needs 6: "
            "Minutes Hours Day-of-month Month Day-of-week Year"
        )
    minutes_text, hours_text, dom_text, month_text, dow_text, year_text = tokens

    minutes = _parse_list(_MINUTES, minutes_text)
    if len(minutes) != 1:
        raise CronError(
            f"Minutes value '{minutes_text}' fires more than once an hour; invocations must be "
            "separated by at least one hour, so Minutes must resolve to a single minute (0-59)"
        )
    hours = _parse_list(_HOURS, hours_text)
    months = _parse_list(_MONTH, month_text)
    years = _parse_list(_YEAR, year_text)

    if (dom_text == "?") == (dow_text == "?"):
        raise CronError(
            f"Day-of-month '{dom_text}' and Day-of-week '{dow_text}': exactly one of them must "
            "be '?' (give a value or * in one and ? in the other)"
        )

    days_of_month: tuple[int, ...] | None = None
    last_day = False
    nearest: int | None = None
    if dom_text != "?":
        days_of_month, last_day, nearest = _parse_day_of_month(dom_text)

    days_of_week: tuple[int, ...] | None = None
    last_weekday: int | None = None
    nth: tuple[int, int] | None = None
    if dow_text != "?":
        days_of_week, last_weekday, nth = _parse_day_of_week(dow_text)

    return CronSchedule(
        expression=" ".join(tokens),
        minutes=minutes,
        hours=hours,
        months=months,
        years=years,
        days_of_month=days_of_month,
        last_day_of_month=last_day,
        nearest_weekday_to=nearest,
        days_of_week=days_of_week,
        last_weekday_of_month=last_weekday,
        nth_weekday_of_month=nth,
    )


def _parse_day_of_month(text: str) -> tuple[tuple[int, ...] | None, bool, int | None]:
    if text == "L":
        return None, True, None
    if text.endswith("W") and _is_number(text[:-1]):
        return None, False, _number(_DAY_OF_MONTH, text[:-1], text)
    _reject_standalone_marks(_DAY_OF_MONTH, text, "LW")
    return _parse_list(_DAY_OF_MONTH, text), False, None


def _parse_day_of_week(
    text: str,
) -> tuple[tuple[int, ...] | None, int | None, tuple[int, int] | None]:
    if text == "L":
        return (_DAY_NAMES["SAT"],), None, None
    if text.endswith("L") and (_is_number(text[:-1]) or text[:-1] in _DAY_NAMES):
        return None, _number(_DAY_OF_WEEK, text[:-1], text), None
    if "#" in text:
        day, _, nth = text.partition("#")
        if "," in text or not _is_number(nth) or not 1 <= int(nth) <= 5:
            raise CronError(
                f"Day-of-week value '{text}' is not valid: '#' takes one weekday and an "
                "occurrence 1-5 (for example 3#2, the second Tuesday) and stands alone"
            )
        return None, None, (_number(_DAY_OF_WEEK, day, text), int(nth))
    _reject_standalone_marks(_DAY_OF_WEEK, text, "L#")
    return _parse_list(_DAY_OF_WEEK, text), None, None


def _reject_standalone_marks(field: _Field, text: str, marks: str) -> None:
    if any(mark in text for mark in marks) or "?" in text:
        raise CronError(
            f"{field.name} value '{text}' is not valid: ?, L, W and # stand alone in the field "
            f"and take no offsets; accepted: {_ACCEPTED[field.name]}"
        )


def _parse_list(field: _Field, text: str) -> tuple[int, ...]:
    items = text.split(",")
    if len(items) > MAX_LIST_ITEMS:
        raise CronError(
            f"{field.name} value '{text}' lists {len(items)} values; at most "
            f"{MAX_LIST_ITEMS} comma-separated values are accepted"
        )

    values: set[int] = set()
    for item in items:
        values.update(_parse_item(field, item, text))
    return tuple(sorted(values))


def _parse_item(field: _Field, item: str, text: str) -> range:
    match = _ITEM.match(item)
    if not match:
        raise CronError(
            f"{field.name} value '{text}' is not valid; accepted: {_ACCEPTED[field.name]}"
        )

    start_text, end_text, step_text = match.group("start", "end", "step")
    if step_text is not None and not field.allows_step:
        raise CronError(
            f"{field.name} value '{text}' uses '/', which {field.name} does not accept; "
            f"accepted: {_ACCEPTED[field.name]}"
        )
    if start_text == "*" and end_text is not None:
        raise CronError(
            f"{field.name} value '{text}' is not valid; accepted: {_ACCEPTED[field.name]}"
        )

    step = 1 if step_text is None else int(step_text)
    if step < 1:
        raise CronError(f"{field.name} value '{text}' has step 0; a step must be at least 1")

    if start_text == "*":
        return range(field.low, field.high + 1, step)
    start = _number(field, start_text, text)
    if end_text is None:
        # "a/n" runs from a to the end of the field; a bare "a" is one value.
        end = field.high if step_text is not None else start
    else:
        end = _number(field, end_text, text)
    if end < start:
        raise CronError(
            f"{field.name} value '{text}' has a range running backwards ({start_text}-{end_text}); "
            "ranges must go from low to high"
        )
    return range(start, end + 1, step)


def _number(field: _Field, token: str, text: str) -> int:
    value = field.names.get(token)
    if value is None and _is_number(token):
        value = int(token)
    if value is None or not field.low <= value <= field.high:
        raise CronError(
            f"{field.name} value '{text}' is not valid ('{token}' is out of range); "
            f"accepted: {_ACCEPTED[field.name]}"
        )
    return value


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit()
