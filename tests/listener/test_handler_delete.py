"""DeleteNamespace events, duplicates and reorderings, through the real handler."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import moto_redshift_serverless
from custom_resource.reconcile import ensure_schedule
from custom_resource.spec import Defaults, Owner, build_spec
from tests.listener.conftest import Invoke
from tests.listener.samples import cloudtrail_event, load_event
from tests.listener.world import World, writes

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


def test_handler_delete_namespace_removes_the_listeners_schedule(
    world: World, invoke: Invoke
) -> None:
    # given: the listener covered the namespace, then the namespace was deleted
    world.namespace("sales-analytics")
    invoke(load_event("create-namespace.json"))
    world.delete_namespace("sales-analytics")

    # when
    result = invoke(load_event("delete-namespace.json"))

    # then: the scheduled action and the copy configuration are gone
    assert result == {
        "status": "ok",
        "event": "DeleteNamespace",
        "namespace_name": "sales-analytics",
        "outcome": "removed",
        "removed": ["snapshot-sales-analytics"],
    }
    assert world.scheduled_actions() == {}
    assert world.copy_regions("sales-analytics") == []


def test_handler_delete_namespace_removes_a_stack_owned_schedule_too(
    world: World, invoke: Invoke, redshift_serverless: RedshiftServerlessClient
) -> None:
    # given: a stack's schedule under a name of its own; the namespace is gone
    world.namespace("sales-analytics")
    spec = build_spec(
        "sales-analytics",
        Defaults.from_environ(os.environ),
        Owner.stack("analytics", "SalesSchedule"),
        overrides={"scheduled_action_name": "sales-nightly"},
    )
    ensure_schedule(redshift_serverless, spec)
    world.delete_namespace("sales-analytics")

    # when
    result = invoke(load_event("delete-namespace.json"))

    # then
    assert result["removed"] == ["sales-nightly"]
    assert world.scheduled_actions() == {}
    assert world.copy_regions("sales-analytics") == []


def test_handler_delete_namespace_already_gone_is_fine(world: World, invoke: Invoke) -> None:
    # when: nothing of the namespace exists any more
    result = invoke(load_event("delete-namespace.json"))

    # then
    assert result["status"] == "ok"
    assert result["outcome"] == "absent"
    assert writes() == {}


def test_handler_delete_namespace_twice_is_a_no_op(world: World, invoke: Invoke) -> None:
    # given
    world.namespace("sales-analytics")
    invoke(load_event("create-namespace.json"))
    world.delete_namespace("sales-analytics")
    invoke(load_event("delete-namespace.json"))
    moto_redshift_serverless.call_log.clear()

    # when
    result = invoke(load_event("delete-namespace.json"))

    # then
    assert result["outcome"] == "absent"
    assert writes() == {}


def test_handler_delete_namespace_leaves_a_foreign_schedule(world: World, invoke: Invoke) -> None:
    # given: a schedule made by hand under the very name the tool would derive
    world.namespace("sales-analytics")
    world.foreign_action("sales-analytics", "snapshot-sales-analytics")
    world.delete_namespace("sales-analytics")

    # when
    result = invoke(load_event("delete-namespace.json"))

    # then
    assert result["outcome"] == "absent"
    assert list(world.scheduled_actions()) == ["snapshot-sales-analytics"]


def test_handler_delete_namespace_that_exists_again_keeps_its_schedule(
    world: World, invoke: Invoke
) -> None:
    # given: deleted and re-created under the same name; the old Delete arrives late
    world.namespace("sales-analytics")
    invoke(load_event("create-namespace.json"))

    # when
    result = invoke(load_event("delete-namespace.json"))

    # then
    assert result["outcome"] == "still_exists"
    assert list(world.scheduled_actions()) == ["snapshot-sales-analytics"]
    assert writes() == {"CreateScheduledAction": 1, "CreateSnapshotCopyConfiguration": 1}


def test_handler_delete_before_create_leaves_nothing(world: World, invoke: Invoke) -> None:
    # given: the namespace was created and deleted; its events arrive in reverse order
    create = cloudtrail_event("CreateNamespace", "short-lived")
    delete = cloudtrail_event("DeleteNamespace", "short-lived")

    # when
    first = invoke(delete)
    second = invoke(create)

    # then
    assert (first["outcome"], second["outcome"]) == ("absent", "gone")
    assert world.scheduled_actions() == {}
    assert world.backend.snapshot_copy_configurations == {}


def test_handler_create_then_delete_delivered_twice_each_leaves_nothing(
    world: World, invoke: Invoke
) -> None:
    # given: the namespace lived long enough to be covered
    world.namespace("sales-analytics")
    create = load_event("create-namespace.json")
    delete = load_event("delete-namespace.json")
    invoke(create)
    world.delete_namespace("sales-analytics")

    # when: every event delivered again, in a shuffled order
    outcomes = [invoke(event)["outcome"] for event in (delete, create, create, delete)]

    # then
    assert outcomes == ["removed", "gone", "gone", "absent"]
    assert world.scheduled_actions() == {}
    assert world.backend.snapshot_copy_configurations == {}


def test_handler_delete_namespace_failed_call_does_nothing(world: World, invoke: Invoke) -> None:
    # given: a rejected DeleteNamespace (the namespace still has a workgroup)
    world.namespace("sales-analytics")
    invoke(load_event("create-namespace.json"))
    moto_redshift_serverless.call_log.clear()
    event = cloudtrail_event(
        "DeleteNamespace",
        "sales-analytics",
        errorCode="ConflictException",
        errorMessage="Namespace has a workgroup associated with it.",
        responseElements=None,
    )

    # when
    result = invoke(event)

    # then
    assert result["status"] == "ignored"
    assert result["kind"] == "failed_call"
    assert moto_redshift_serverless.call_log.counts() == {}
    assert list(world.scheduled_actions()) == ["snapshot-sales-analytics"]
