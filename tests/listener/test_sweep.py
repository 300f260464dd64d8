"""Sweeps through the real handler: backfill, repair, prune, dry run, deadline and throttling."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pytest

import moto_redshift_serverless
from custom_resource.spec import Owner
from tests.listener.conftest import Invoke
from tests.listener.samples import load_event
from tests.listener.world import DESTINATION_REGION, World, writes

DEFAULT_CRON = {"cron": "cron(0 0,8,16 * * ? *)"}
ZERO_COUNTS = {
    "covered": 0,
    "created": 0,
    "repaired": 0,
    "pruned": 0,
    "skipped_opt_out": 0,
    "left_alone": 0,
    "no_workgroup": 0,
    "not_available": 0,
    "failed": 0,
    "remaining": 0,
}


@dataclass
class Mix:
    """Namespaces of every kind a sweep meets, by kind."""

    uncovered: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    listener: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def covered(self) -> list[str]:
        return self.foreign + self.listener + self.drifted + self.stack


def build_mix(world: World, count: int) -> Mix:
    """`count` namespaces: the first 25 five of each kind, the rest covered by hand (as most
    namespaces of a large account would be), plus one orphan per 25 namespaces."""
    mix = Mix()
    kinds = (mix.uncovered, mix.foreign, mix.listener, mix.drifted, mix.stack)
    for index in range(count):
        name = f"ns-{index:03d}"
        world.namespace(name)
        kinds[index % len(kinds) if index < 25 else 1].append(name)

    for name in mix.foreign:
        world.foreign_action(name, f"by-hand-{name}")
    for name in mix.listener:
        world.tool_schedule(name)
    for name in mix.stack:
        world.tool_schedule(name, Owner.stack("analytics", name))
    for index, name in enumerate(mix.drifted):
        world.tool_schedule(name)
        if index % 2:
            world.delete_copy_configurations(name)
        else:
            world.drift_schedule(f"snapshot-{name}")

    for index in range(count // 25):
        name = f"gone-{index:03d}"
        world.namespace(name)
        world.tool_schedule(name)
        world.delete_namespace(name)
        mix.orphaned.append(name)

    moto_redshift_serverless.call_log.clear()
    return mix


def test_sweep_over_no_namespaces_does_nothing(world: World, invoke: Invoke) -> None:
    # when
    result = invoke({})

    # then
    assert result == {
        "status": "ok",
        "event": "sweep",
        "trigger": "manual",
        "options": {"dry_run": False, "repair": False, "prune": False},
        "counts": ZERO_COUNTS,
        "failures": [],
        "tag_problems": [],
        "no_workgroup": [],
    }
    assert writes() == {}


def test_sweep_over_one_uncovered_namespace_covers_it(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("sales-analytics")

    # when
    result = invoke(load_event("scheduled-sweep.json"))

    # then
    assert result["trigger"] == "schedule"
    assert result["counts"] == ZERO_COUNTS | {"created": 1}
    action = world.scheduled_actions()["snapshot-sales-analytics"]
    assert action["schedule"] == DEFAULT_CRON
    assert world.copy_regions("sales-analytics") == [DESTINATION_REGION]


def test_sweep_logs_one_summary_line_with_the_counts(
    world: World, invoke: Invoke, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    world.namespace("sales-analytics")
    caplog.set_level(logging.INFO)

    # when
    result = invoke({})

    # then
    (summary,) = [r for r in caplog.records if r.getMessage().startswith("Sweep finished: ")]
    assert summary.getMessage() == (
        "Sweep finished: covered=0 created=1 repaired=0 pruned=0 skipped_opt_out=0 "
        "left_alone=0 no_workgroup=0 not_available=0 failed=0 remaining=0"
    )
    assert summary.counts == result["counts"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("count", [25, 250])
def test_sweep_over_a_mix_backfills_then_repairs_and_prunes(
    world: World, invoke: Invoke, count: int
) -> None:
    # given
    mix = build_mix(world, count)
    total = count

    # when: a plain sweep
    plain = invoke({})

    # then: only the uncovered are touched; drift and orphans stay
    assert plain["counts"] == ZERO_COUNTS | {
        "created": len(mix.uncovered),
        "covered": len(mix.covered),
    }
    counts = moto_redshift_serverless.call_log.counts()
    assert counts["ListTagsForResource"] == len(mix.uncovered)
    assert counts["GetNamespace"] == 0
    assert world.scheduled_actions(mix.drifted[0])[f"snapshot-{mix.drifted[0]}"]["schedule"] != (
        DEFAULT_CRON
    )
    assert all(world.scheduled_actions(name) for name in mix.orphaned)

    # when: a sweep that repairs and prunes
    fixing = invoke({"repair": True, "prune": True})

    # then
    assert fixing["counts"] == ZERO_COUNTS | {
        "covered": total - len(mix.drifted),
        "repaired": len(mix.drifted),
        "pruned": len(mix.orphaned),
    }
    for name in mix.drifted:
        assert world.scheduled_actions(name)[f"snapshot-{name}"]["schedule"] == DEFAULT_CRON
        assert world.copy_regions(name) == [DESTINATION_REGION]
    for name in mix.orphaned:
        assert world.scheduled_actions(name) == {}
        assert world.copy_regions(name) == []
    for name in mix.foreign:
        assert list(world.scheduled_actions(name)) == [f"by-hand-{name}"]
    for name in mix.stack:
        action = world.scheduled_actions(name)[f"snapshot-{name}"]
        assert f"owner=stack/analytics/{name};" in action["scheduledActionDescription"]
    assert len(world.scheduled_actions()) == total

    # when: the same again
    moto_redshift_serverless.call_log.clear()
    again = invoke({"repair": True, "prune": True})

    # then: nothing left to do
    assert again["counts"] == ZERO_COUNTS | {"covered": total}
    assert writes() == {}


def test_sweep_of_covered_namespaces_reads_nothing_per_namespace(
    world: World, invoke: Invoke
) -> None:
    # given
    mix = build_mix(world, 25)
    invoke({})
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke({})

    # then: the account-wide lists answered everything
    assert result["counts"]["covered"] == 25
    assert result["counts"]["created"] == 0
    assert mix.uncovered
    assert set(moto_redshift_serverless.call_log.counts()) == {
        "ListNamespaces",
        "ListScheduledActions",
        "ListSnapshotCopyConfigurations",
        "ListWorkgroups",
    }


def test_sweep_lists_page_by_page(world: World, invoke: Invoke) -> None:
    # given: more namespaces than one page holds
    for index in range(250):
        world.namespace(f"ns-{index:03d}")
        world.foreign_action(f"ns-{index:03d}", f"by-hand-{index:03d}")
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke({})

    # then
    assert result["counts"]["covered"] == 250
    counts = moto_redshift_serverless.call_log.counts()
    assert counts["ListNamespaces"] > 1
    assert counts["ListScheduledActions"] > 1


def test_sweep_dry_run_writes_nothing_and_returns_the_plan(world: World, invoke: Invoke) -> None:
    # given: the mix, plus one namespace opted out and one with a bad tag, all uncovered
    mix = build_mix(world, 25)
    world.namespace("opted-out", tags={"snapshot-schedule": "off"})
    world.namespace("bad-tags", tags={"snapshot-schedule:retention-period": "forever"})
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke({"dry_run": True, "repair": True, "prune": True})

    # then: only reads were made, the tags of each would-be create among them
    calls = moto_redshift_serverless.call_log.counts()
    assert writes() == {}
    assert all(name.startswith(("List", "Get")) for name in calls)
    assert calls["ListTagsForResource"] == len(mix.uncovered) + 2

    # then: the plan is the real one, without the opted-out namespace
    assert result["options"] == {"dry_run": True, "repair": True, "prune": True}
    steps = result["plan"]["steps"]
    creates = [step["namespace_name"] for step in steps if step["action"] == "create"]
    assert creates == ["bad-tags", *mix.uncovered]
    assert [step["namespace_name"] for step in steps if step["action"] == "prune"] == mix.orphaned
    assert result["plan"]["orphaned_scheduled_actions"] == [f"snapshot-{n}" for n in mix.orphaned]
    assert result["plan"]["skipped_opt_out"] == ["opted-out"]

    # then: counts and tag problems are what the real run would report
    assert result["counts"]["skipped_opt_out"] == 1
    assert result["counts"]["remaining"] == len(steps)
    assert result["counts"]["created"] == 0
    (reported,) = result["tag_problems"]
    assert reported["namespace_name"] == "bad-tags"
    assert reported["problems"][0].endswith("got 'forever'")


def test_sweep_dry_run_from_the_environment(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv("SWEEP_DRY_RUN", "true")
    world.namespace("sales-analytics")

    # when
    from_environment = invoke({})
    overridden = invoke({"dry_run": False})

    # then: the event field wins over the environment
    assert from_environment["plan"]["steps"][0]["namespace_name"] == "sales-analytics"
    assert from_environment["counts"]["created"] == 0
    assert overridden["counts"]["created"] == 1
    assert "plan" not in overridden


def test_sweep_cut_short_by_the_deadline_is_finished_by_the_next_run(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: 25 uncovered namespaces, slow calls, two at a time, about one second to work in
    monkeypatch.setenv("SWEEP_CONCURRENCY", "2")
    for index in range(25):
        world.namespace(f"ns-{index:03d}")
    moto_redshift_serverless.faults.configure(latency=0.05)

    # when
    first = invoke({}, timeout=1.5)

    # then: it stopped with work left, and said how much
    counts = first["counts"]
    assert counts["remaining"] > 0
    assert counts["created"] + counts["remaining"] == 25
    assert counts["failed"] == 0

    # when: the next run, with time enough
    moto_redshift_serverless.faults.configure()
    second = invoke({})

    # then
    assert second["counts"]["created"] == counts["remaining"]
    assert second["counts"]["remaining"] == 0
    assert len(world.scheduled_actions()) == 25


@pytest.mark.usefixtures("fresh_client")
def test_sweep_under_throttling_still_covers_everything(world: World, invoke: Invoke) -> None:
    # given: 4 namespaces handled at once; the service admits 10 CreateScheduledAction a second
    for index in range(4):
        world.namespace(f"ns-{index:03d}")
    moto_redshift_serverless.faults.configure(
        rate_limit=10, burst=1, operations=["CreateScheduledAction"]
    )

    # when
    result = invoke({})

    # then: throttled calls were retried, and nothing failed
    throttled = [
        record
        for record in moto_redshift_serverless.call_log.records
        if record.error_code == "ThrottlingException"
    ]
    assert throttled
    assert result["counts"]["created"] == 4
    assert result["counts"]["failed"] == 0
    assert len(world.scheduled_actions()) == 4


def test_sweep_respects_opt_out_and_reports_bad_tags(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("opted-out", tags={"snapshot-schedule": "off"})
    world.namespace("overridden", tags={"snapshot-schedule:retention-period": "30"})
    world.namespace("bad-tags", tags={"snapshot-schedule:retention-period": "forever"})

    # when
    result = invoke({})

    # then
    assert result["counts"] == ZERO_COUNTS | {"created": 2, "skipped_opt_out": 1}
    assert "opted-out" not in {a["namespaceName"] for a in world.scheduled_actions().values()}
    overridden = world.scheduled_actions()["snapshot-overridden"]
    assert overridden["targetAction"]["createSnapshot"]["retentionPeriod"] == 30
    bad = world.scheduled_actions()["snapshot-bad-tags"]
    assert bad["targetAction"]["createSnapshot"]["retentionPeriod"] == 7
    (reported,) = result["tag_problems"]
    assert reported["namespace_name"] == "bad-tags"
    assert reported["problems"][0].startswith("tag snapshot-schedule:retention-period must be")
    assert reported["problems"][0].endswith("got 'forever'")


def test_sweep_rejects_a_tag_copying_into_the_namespaces_own_region(
    world: World, invoke: Invoke
) -> None:
    # given
    world.namespace("sales", tags={"snapshot-schedule:destination-region": "eu-west-1"})

    # when
    result = invoke({})

    # then: covered with the defaults, and the tag reported
    assert result["counts"] == ZERO_COUNTS | {"created": 1}
    (reported,) = result["tag_problems"]
    assert reported["namespace_name"] == "sales"
    assert reported["problems"] == [
        "tag snapshot-schedule:destination-region must be a region other than the namespace's "
        "own (eu-west-1), or 'none', got 'eu-west-1'"
    ]
    assert world.copy_regions("sales") == [DESTINATION_REGION]


def test_sweep_repair_leaves_an_opted_out_namespace_alone(world: World, invoke: Invoke) -> None:
    # given: covered by the listener, drifted, then opted out
    world.namespace("sales", tags={"snapshot-schedule": "off"})
    world.tool_schedule("sales")
    world.drift_schedule("snapshot-sales")
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke({"repair": True})

    # then
    assert result["counts"] == ZERO_COUNTS | {"skipped_opt_out": 1}
    assert writes() == {}


def test_sweep_flags_namespaces_without_a_workgroup(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("no-compute", workgroup=False)
    world.namespace("with-compute")

    # when
    result = invoke({})

    # then: flagged, and covered all the same
    assert result["no_workgroup"] == ["no-compute"]
    assert result["counts"] == ZERO_COUNTS | {"created": 2, "no_workgroup": 1}


def test_sweep_leaves_namespaces_that_are_not_available_for_the_next_run(
    world: World, invoke: Invoke
) -> None:
    # given
    world.namespace("busy")
    world.backend.set_namespace_status("busy", "MODIFYING")

    # when
    result = invoke({})

    # then
    assert result["counts"] == ZERO_COUNTS | {"not_available": 1}
    assert writes() == {}


def test_sweep_counts_a_namespace_that_fails_and_carries_on(world: World, invoke: Invoke) -> None:
    # given: one namespace already copies to another region under a configuration made by hand
    world.namespace("hand-copied")
    world.backend.create_snapshot_copy_configuration(
        {"namespaceName": "hand-copied", "destinationRegion": "us-east-2"}
    )
    world.namespace("plain")

    # when
    result = invoke({})

    # then: the other namespace is covered; the failure names the namespace and the cause
    assert result["status"] == "ok"
    assert result["counts"] == ZERO_COUNTS | {"created": 1, "failed": 1}
    (failure,) = result["failures"]
    assert failure["namespace_name"] == "hand-copied"
    assert "us-east-2" in failure["error"]
    assert world.copy_regions("hand-copied") == ["us-east-2"]


def test_sweep_understands_the_older_list_shape(world: World, invoke: Invoke) -> None:
    # given: ListScheduledActions answers plain names, as older service models did
    world.namespace("covered")
    world.foreign_action("covered", "by-hand")
    world.namespace("uncovered")
    moto_redshift_serverless.settings.legacy_list_scheduled_actions = True

    # when
    result = invoke({})

    # then
    assert result["counts"] == ZERO_COUNTS | {"covered": 1, "created": 1}
    assert sorted(world.scheduled_actions()) == ["by-hand", "snapshot-uncovered"]


def test_sweep_prune_leaves_a_foreign_orphan_alone(world: World, invoke: Invoke) -> None:
    # given: a scheduled action made by hand for a namespace that has since been deleted
    world.namespace("gone")
    world.foreign_action("gone", "snapshot-gone")
    world.delete_namespace("gone")

    # when
    result = invoke({"prune": True})

    # then
    assert result["counts"] == ZERO_COUNTS | {"left_alone": 1}
    assert list(world.scheduled_actions()) == ["snapshot-gone"]


def test_sweep_rejects_a_bad_option_without_acting(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("sales")

    # when
    result = invoke({"prune": "sometimes"})

    # then
    assert result == {
        "status": "ignored",
        "kind": "malformed",
        "reason": "prune must be true or false, got 'sometimes'",
    }
    assert moto_redshift_serverless.call_log.counts() == {}


def test_sweep_reads_nothing_again_that_its_listings_said(world: World, invoke: Invoke) -> None:
    # given a mix of namespaces, and the calls a dry run makes to list them
    mix = build_mix(world, 25)
    invoke({"dry_run": True})
    listing = moto_redshift_serverless.call_log.counts()
    moto_redshift_serverless.call_log.clear()

    # when a sweep backfills the uncovered ones
    result = invoke({})

    # then it lists as the dry run did, and per namespace only reads tags before writing
    counts = moto_redshift_serverless.call_log.counts()
    assert result["counts"]["created"] == len(mix.uncovered)
    assert counts["GetScheduledAction"] == 0
    assert counts["ListSnapshotCopyConfigurations"] == listing["ListSnapshotCopyConfigurations"]
    assert counts["ListScheduledActions"] == listing["ListScheduledActions"]
