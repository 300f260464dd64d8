"""CreateNamespace events while another writer gives the namespace a schedule mid-request.

The other writer is replayed deterministically: it writes straight into the emulator just before
the emulator first lists the namespace's copy configurations for the listener.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from custom_resource.spec import Owner, parse_marker
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.listener.conftest import Invoke
from tests.listener.samples import load_event
from tests.listener.world import DESTINATION_REGION, World, writes
from tests.support.interleave import interleave

NAMESPACE = "sales-analytics"


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_handler_create_namespace_covered_by_another_delivery_mid_request_is_covered(
    world: World,
    invoke: Invoke,
    fresh_client: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: a second delivery of the event covers the namespace while this one is reading
    world.namespace(NAMESPACE)
    interleave(world.backend, monkeypatch, lambda: world.tool_schedule(NAMESPACE))

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: one schedule, the listener's, and no error
    assert (result["status"], result["outcome"]) == ("ok", "covered")
    assert errors(caplog) == []
    action = world.scheduled_actions(NAMESPACE)["snapshot-sales-analytics"]
    marker = parse_marker(action["scheduledActionDescription"])
    assert marker is not None
    assert marker.owner == "listener"
    assert world.copy_regions(NAMESPACE) == [DESTINATION_REGION]


def test_handler_create_namespace_given_a_foreign_schedule_mid_request_is_covered(
    world: World,
    invoke: Invoke,
    fresh_client: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: someone schedules snapshots and copies by hand while the listener is reading
    world.namespace(NAMESPACE)

    def by_hand() -> None:
        world.foreign_action(NAMESPACE, "nightly-by-hand")
        world.backend.create_snapshot_copy_configuration(
            {"namespaceName": NAMESPACE, "destinationRegion": "us-east-1"}
        )

    interleave(world.backend, monkeypatch, by_hand)

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: the hand-made schedule covers the namespace; nothing of the tool's is added
    assert (result["status"], result["outcome"]) == ("ok", "covered")
    assert result["scheduled_actions"] == ["nightly-by-hand"]
    assert errors(caplog) == []
    assert writes() == {}
    assert list(world.scheduled_actions(NAMESPACE)) == ["nightly-by-hand"]


def test_handler_create_namespace_with_only_a_foreign_copy_still_fails(
    world: World, invoke: Invoke, fresh_client: None
) -> None:
    # given: a copy configuration made by hand, and no scheduled action
    world.namespace(NAMESPACE)
    world.backend.create_snapshot_copy_configuration(
        {"namespaceName": NAMESPACE, "destinationRegion": "us-east-1"}
    )

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: the conflict is reported, naming the copy configuration's region
    assert result["status"] == "failed"
    assert result["error"].startswith(
        "Namespace 'sales-analytics' already copies snapshots to us-east-1 (copy configuration "
    )
    assert result["error"].endswith(
        "serverless-snapshot-schedule did not create it; delete it or set the destination "
        "region to none"
    )
    assert writes() == {}
    assert world.scheduled_actions(NAMESPACE) == {}


def test_sweep_counts_a_namespace_a_stack_schedules_after_the_listing_as_covered(
    world: World,
    invoke: Invoke,
    fresh_client: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: an uncovered namespace that a stack schedules right after the sweep's listing
    world.namespace(NAMESPACE)
    backend_type = type(world.backend)
    original = backend_type.list_tags_for_resource
    done: list[bool] = []

    def tags_then_stack(backend: RedshiftServerlessBackend, *args: Any) -> Any:
        if not done:
            done.append(True)
            world.tool_schedule(NAMESPACE, Owner.stack("orders-stack", "Schedule"))
        return original(backend, *args)

    monkeypatch.setattr(backend_type, "list_tags_for_resource", tags_then_stack)

    # when
    result = invoke({})

    # then: the namespace counts as covered, the stack's schedule stands, and nothing failed
    assert result["counts"]["covered"] == 1
    assert result["counts"]["failed"] == 0
    assert errors(caplog) == []
    action = world.scheduled_actions(NAMESPACE)["snapshot-sales-analytics"]
    marker = parse_marker(action["scheduledActionDescription"])
    assert marker is not None
    assert marker.owner == "stack/orders-stack/Schedule"


def test_sweep_prune_keeps_the_schedule_of_a_namespace_made_between_the_listings(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a namespace and its schedule are made after the sweep lists the namespaces and
    # before it lists the scheduled actions, so the action looks orphaned to the plan
    def made_meanwhile() -> None:
        world.namespace(NAMESPACE)
        world.tool_schedule(NAMESPACE)

    interleave(world.backend, monkeypatch, made_meanwhile, before="list_scheduled_actions")

    # when
    result = invoke({"prune": True})

    # then: the namespace exists, so its schedule stands and nothing was written
    assert result["counts"]["pruned"] == 0
    assert result["counts"]["covered"] == 1
    assert result["counts"]["failed"] == 0
    assert writes() == {}
    assert list(world.scheduled_actions(NAMESPACE)) == ["snapshot-sales-analytics"]
    assert world.copy_regions(NAMESPACE) == [DESTINATION_REGION]


def test_sweep_prune_removes_the_schedule_of_a_namespace_being_deleted(
    world: World, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: as above, but the namespace is DELETING by the time the prune step looks at it
    def made_meanwhile() -> None:
        world.namespace(NAMESPACE)
        world.tool_schedule(NAMESPACE)
        world.backend.set_namespace_status(NAMESPACE, "DELETING")

    interleave(world.backend, monkeypatch, made_meanwhile, before="list_scheduled_actions")

    # when
    result = invoke({"prune": True})

    # then: a namespace on its way out loses its schedule, as on a DeleteNamespace event
    assert result["counts"]["pruned"] == 1
    assert world.scheduled_actions(NAMESPACE) == {}
    assert world.copy_regions(NAMESPACE) == []


def test_handler_create_namespace_whose_action_a_stack_takes_over_mid_request_leaves_no_copy(
    world: World,
    invoke: Invoke,
    fresh_client: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a stack declaring no copy takes the listener's new action over just before the
    # listener creates its copy configuration
    world.namespace(NAMESPACE)
    stack = Owner.stack("orders-stack", "Schedule")
    marker = f"Managed by serverless-snapshot-schedule; owner={stack.value}; copy=none"
    interleave(
        world.backend,
        monkeypatch,
        lambda: world.backend.update_scheduled_action(
            {
                "scheduledActionName": "snapshot-sales-analytics",
                "scheduledActionDescription": marker,
            }
        ),
        before="create_snapshot_copy_configuration",
    )

    # when
    result = invoke(load_event("create-namespace.json"))

    # then: the copy configuration the listener made, which no action names, is gone again
    assert (result["status"], result["snapshot_copy_configuration"]) == ("ok", "released")
    action = world.scheduled_actions(NAMESPACE)["snapshot-sales-analytics"]
    assert action["scheduledActionDescription"] == marker
    assert world.copy_regions(NAMESPACE) == []
