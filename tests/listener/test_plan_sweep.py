"""plan_sweep: a pure function of the listings, so no emulator is needed here."""

from __future__ import annotations

from typing import Any

from custom_resource.aws import ScheduledActionRef
from event_listener.sweep import SweepListings, SweepStep, plan_sweep

ACCOUNT_ARN = "arn:aws:redshift-serverless:eu-west-1:123456789012:namespace"


def namespace(name: str, status: str = "AVAILABLE") -> dict[str, Any]:
    return {"namespaceName": name, "namespaceArn": f"{ACCOUNT_ARN}/{name}-id", "status": status}


def listings(
    namespaces: list[dict[str, Any]],
    actions: list[tuple[str, str]] = (),  # type: ignore[assignment]
    copies: list[str] = (),  # type: ignore[assignment]
    workgroups: list[str] | None = None,
) -> SweepListings:
    """Listings; every namespace has a workgroup unless `workgroups` names them."""
    if workgroups is None:
        workgroups = [ns["namespaceName"] for ns in namespaces]
    return SweepListings(
        namespaces=namespaces,
        scheduled_actions=[ScheduledActionRef(ns, action) for ns, action in actions],
        snapshot_copy_configurations=[
            {"namespaceName": ns, "destinationRegion": "eu-central-1"} for ns in copies
        ],
        workgroups=[{"workgroupName": f"wg-{ns}", "namespaceName": ns} for ns in workgroups],
    )


def test_plan_sweep_nothing_listed_plans_nothing() -> None:
    # when
    plan = plan_sweep(listings([]))

    # then
    assert plan.steps == ()
    assert plan.to_dict() == {
        "steps": [],
        "covered": [],
        "not_available": [],
        "no_workgroup": [],
        "orphaned_scheduled_actions": [],
        "orphaned_snapshot_copy_configurations": [],
        "skipped_opt_out": [],
    }


def test_plan_sweep_uncovered_namespace_gets_a_create_step() -> None:
    # when
    plan = plan_sweep(listings([namespace("sales")]))

    # then
    assert plan.steps == (
        SweepStep("create", "sales", "snapshot-sales", f"{ACCOUNT_ARN}/sales-id"),
    )
    assert plan.covered == ()


def test_plan_sweep_any_scheduled_action_covers_a_namespace() -> None:
    # given: one namespace with a foreign action, one with the tool's derived name
    given = listings(
        [namespace("sales"), namespace("finance")],
        actions=[("sales", "nightly-by-hand"), ("finance", "snapshot-finance")],
    )

    # when
    plan = plan_sweep(given)

    # then
    assert plan.steps == ()
    assert plan.covered == ("finance", "sales")


def test_plan_sweep_repair_inspects_only_actions_under_the_derived_name() -> None:
    # given
    given = listings(
        [namespace("sales"), namespace("finance")],
        actions=[("sales", "nightly-by-hand"), ("finance", "snapshot-finance")],
    )

    # when
    plan = plan_sweep(given, repair=True)

    # then
    assert plan.steps == (
        SweepStep("repair", "finance", "snapshot-finance", f"{ACCOUNT_ARN}/finance-id"),
    )
    assert plan.covered == ("sales",)


def test_plan_sweep_orphaned_actions_are_reported_and_pruned_only_on_request() -> None:
    # given: an action whose namespace is gone, and a copy configuration likewise
    given = listings([namespace("sales")], actions=[("gone", "snapshot-gone")], copies=["gone"])

    # when
    plain = plan_sweep(given)
    pruning = plan_sweep(given, prune=True)

    # then
    assert plain.orphaned_scheduled_actions == ("snapshot-gone",)
    assert plain.orphaned_snapshot_copy_configurations == ("gone",)
    assert [step.action for step in plain.steps] == ["create"]
    assert pruning.steps[-1] == SweepStep("prune", "gone", "snapshot-gone")


def test_plan_sweep_namespace_not_available_waits_for_the_next_run() -> None:
    # when
    plan = plan_sweep(listings([namespace("busy", "MODIFYING"), namespace("bye", "DELETING")]))

    # then
    assert plan.steps == ()
    assert plan.not_available == ("busy", "bye")


def test_plan_sweep_repair_waits_for_a_namespace_that_is_not_available() -> None:
    # given: the tool's action on namespaces that are busy or on their way out
    given = listings(
        [namespace("busy", "MODIFYING"), namespace("bye", "DELETING"), namespace("mine")],
        actions=[
            ("busy", "snapshot-busy"),
            ("bye", "snapshot-bye"),
            ("mine", "snapshot-mine"),
        ],
    )

    # when
    plan = plan_sweep(given, repair=True)

    # then: only the AVAILABLE one is repaired; the others wait for the next run
    assert [(step.action, step.namespace_name) for step in plan.steps] == [("repair", "mine")]
    assert plan.not_available == ("busy", "bye")
    assert plan.covered == ()


def test_plan_sweep_flags_namespaces_without_a_workgroup() -> None:
    # given
    given = listings(
        [namespace("sales"), namespace("lonely"), namespace("bye", "DELETING")],
        workgroups=["sales"],
    )

    # when
    plan = plan_sweep(given)

    # then: flagged, and still covered by a create step
    assert plan.no_workgroup == ("lonely",)
    assert [step.namespace_name for step in plan.steps] == ["lonely", "sales"]


def test_plan_sweep_orders_create_then_repair_then_prune() -> None:
    # given
    given = listings(
        [namespace("b-new"), namespace("a-new"), namespace("c-mine")],
        actions=[("c-mine", "snapshot-c-mine"), ("z-gone", "snapshot-z-gone")],
    )

    # when
    plan = plan_sweep(given, repair=True, prune=True)

    # then
    assert [(step.action, step.namespace_name) for step in plan.steps] == [
        ("create", "a-new"),
        ("create", "b-new"),
        ("repair", "c-mine"),
        ("prune", "z-gone"),
    ]


def test_plan_sweep_long_namespace_names_use_the_derived_hashed_name() -> None:
    # given
    long_name = "n" * 64

    # when
    plan = plan_sweep(listings([namespace(long_name)]))

    # then
    (step,) = plan.steps
    assert len(step.scheduled_action_name) == 60
    assert step.scheduled_action_name.startswith("snapshot-nnn")


def test_plan_sweep_is_pure() -> None:
    # given
    given = listings(
        [namespace(f"ns-{index:03d}") for index in range(250)],
        actions=[(f"ns-{index:03d}", f"snapshot-ns-{index:03d}") for index in range(0, 250, 2)]
        + [("gone", "snapshot-gone")],
        workgroups=[f"ns-{index:03d}" for index in range(0, 250, 5)],
    )
    before = repr(given)

    # when
    first = plan_sweep(given, repair=True, prune=True)
    second = plan_sweep(given, repair=True, prune=True)

    # then: same answer, input untouched, counts add up
    assert first == second
    assert repr(given) == before
    assert sum(step.action == "create" for step in first.steps) == 125
    assert sum(step.action == "repair" for step in first.steps) == 125
    assert sum(step.action == "prune" for step in first.steps) == 1
    assert len(first.no_workgroup) == 200
