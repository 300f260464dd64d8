"""The verdict on one namespace, judged without AWS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snapshot_schedule_cli.status import ActionView, judge

NOW = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)


def _action(schedule: str = "0 0,8,16 * * ? *", state: str = "ACTIVE") -> ActionView:
    return ActionView(
        scheduled_action_name="snapshot-sales",
        owner_kind="listener",
        owner="listener",
        schedule=schedule,
        state=state,
        next_run=None,
        retention_period=7,
    )


def test_judge_without_action_is_unprotected() -> None:
    # given no scheduled action
    # when judged
    verdict, reasons = judge(action=None, has_workgroup=True, newest_snapshot_time=None, now=NOW)

    # then
    assert (verdict, reasons) == ("unprotected", ("no scheduled action",))


@pytest.mark.parametrize(
    ("newest", "expected"),
    [
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), "protected"),  # the 08:00 run landed
        (datetime(2026, 3, 2, 0, 0, tzinfo=UTC), "at risk"),  # the 08:00 run is missing
        (None, "protected"),  # no reference point yet
    ],
)
def test_judge_snapshot_overdue_after_a_missed_invocation(
    newest: datetime | None, expected: str
) -> None:
    # given a schedule at 00, 08 and 16 and the newest snapshot at `newest`
    # when judged at 12:30
    verdict, reasons = judge(
        action=_action(), has_workgroup=True, newest_snapshot_time=newest, now=NOW
    )

    # then only a missed 08:00 run makes it overdue
    assert verdict == expected
    assert reasons == (("snapshot overdue",) if expected == "at risk" else ())


def test_judge_grace_covers_a_snapshot_still_being_taken() -> None:
    # given the 08:00 run not yet visible at 08:30 with a grace of one hour
    newest = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)

    # when judged within and after the grace
    within = judge(
        action=_action(),
        has_workgroup=True,
        newest_snapshot_time=newest,
        now=datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
    )
    after = judge(
        action=_action(),
        has_workgroup=True,
        newest_snapshot_time=newest,
        now=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        grace=timedelta(minutes=30),
    )

    # then
    assert within == ("protected", ())
    assert after == ("at risk", ("snapshot overdue",))


def test_judge_lists_every_reason() -> None:
    # given a disabled action on a namespace without workgroup
    # when judged
    verdict, reasons = judge(
        action=_action(state="DISABLED"), has_workgroup=False, newest_snapshot_time=None, now=NOW
    )

    # then both reasons are given
    assert verdict == "at risk"
    assert reasons == ("no workgroup", "disabled")


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [("at(2026-04-01T00:00:00Z)", "one-off schedule"), ("rate(1 day)", "schedule not understood")],
)
def test_judge_schedule_that_does_not_recur(schedule: str, reason: str) -> None:
    # given an action whose schedule is not a recurring cron
    # when judged
    verdict, reasons = judge(
        action=_action(schedule=schedule), has_workgroup=True, newest_snapshot_time=None, now=NOW
    )

    # then
    assert (verdict, reasons) == ("at risk", (reason,))
