"""`snapshot-schedule sweep` against the emulator server over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from click.testing import Result

from custom_resource.spec import Owner, marker_text, parse_marker

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

Seed = Callable[[str], "RedshiftServerlessClient"]
ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
DEFAULTS = {
    "ROLE_ARN": ROLE_ARN,
    "DEST_REGION": "us-west-2",
    "RETENTION_PERIOD": "5",
    "SCHED": "0 6 * * ? *",
}


def _scheduled_action_names(client: RedshiftServerlessClient) -> list[str]:
    names = []
    for page in client.get_paginator("list_scheduled_actions").paginate():
        for entry in page["scheduledActions"]:
            names.append(entry if isinstance(entry, str) else entry["scheduledActionName"])
    return sorted(names)


def test_sweep_dry_run_prints_the_plan_and_changes_nothing(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given two namespaces without a schedule
    client = seed("eu-west-1")
    client.create_namespace(namespaceName="first")
    client.create_namespace(namespaceName="second")

    # when a dry run is asked for
    result = run_cli(
        "sweep",
        "--dry-run",
        "--region",
        "eu-west-1",
        "--endpoint-url",
        fresh_endpoint,
        env=DEFAULTS,
    )

    # then the plan names both and nothing was created
    assert result.exit_code == 0, result.output
    assert "Sweep plan" in result.stdout
    assert "create" in result.stdout
    assert "snapshot-first" in result.stdout
    assert "snapshot-second" in result.stdout
    assert _scheduled_action_names(client) == []


def test_sweep_covers_every_namespace_lacking_a_schedule(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace without a schedule, one opted out, and one with a foreign schedule
    client = seed("eu-west-1")
    client.create_namespace(namespaceName="legacy")
    client.create_namespace(
        namespaceName="scratch", tags=[{"key": "snapshot-schedule", "value": "off"}]
    )
    client.create_namespace(namespaceName="handmade")
    client.create_scheduled_action(
        scheduledActionName="nightly-handmade",
        namespaceName="handmade",
        roleArn=ROLE_ARN,
        schedule={"cron": "cron(0 2 * * ? *)"},
        targetAction={"createSnapshot": {"namespaceName": "handmade", "snapshotNamePrefix": "h"}},
    )

    # when the sweep runs with JSON output
    result = run_cli(
        "sweep",
        "--region",
        "eu-west-1",
        "--endpoint-url",
        fresh_endpoint,
        "--output",
        "json",
        env=DEFAULTS,
    )

    # then only the uncovered namespace got the listener's schedule, with the defaults
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["regions"]["eu-west-1"]["report"]
    assert report["counts"]["created"] == 1
    assert report["counts"]["skipped_opt_out"] == 1
    assert report["counts"]["covered"] == 1
    assert _scheduled_action_names(client) == ["nightly-handmade", "snapshot-legacy"]
    action = client.get_scheduled_action(scheduledActionName="snapshot-legacy")["scheduledAction"]
    marker = parse_marker(action.get("scheduledActionDescription"))
    assert marker is not None
    assert marker.owner == "listener"
    assert action["targetAction"]["createSnapshot"]["retentionPeriod"] == 5
    copies = client.list_snapshot_copy_configurations(namespaceName="legacy")
    assert [c["destinationRegion"] for c in copies["snapshotCopyConfigurations"]] == ["us-west-2"]


def test_sweep_then_status_passes(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace with a workgroup but no schedule, in two regions
    for region in ("eu-west-1", "eu-central-1"):
        client = seed(region)
        client.create_namespace(namespaceName=f"ns-{region}")
        client.create_workgroup(workgroupName=f"wg-{region}", namespaceName=f"ns-{region}")
    regions = ["--region", "eu-west-1", "--region", "eu-central-1"]
    before = run_cli("status", *regions, "--endpoint-url", fresh_endpoint)

    # when a sweep runs over both regions
    swept = run_cli("sweep", *regions, "--endpoint-url", fresh_endpoint, env=DEFAULTS)
    after = run_cli("status", *regions, "--endpoint-url", fresh_endpoint)

    # then the status check fails before and passes after
    assert before.exit_code == 1, before.output
    assert swept.exit_code == 0, swept.output
    assert "eu-west-1: created 1" in swept.stdout
    assert "eu-central-1: created 1" in swept.stdout
    assert after.exit_code == 0, after.output
    assert "2 of 2 namespaces protected" in after.stdout


def test_sweep_with_nothing_to_do_needs_no_defaults(
    run_cli: Callable[..., Result], fresh_endpoint: str
) -> None:
    # given an empty region and no ROLE_ARN / DEST_REGION

    # when a sweep runs
    result = run_cli("sweep", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)

    # then it says so and succeeds
    assert result.exit_code == 0, result.output
    assert "Sweep plan: nothing to do." in result.stdout


def test_sweep_prune_removes_only_the_tools_orphans(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given two deleted namespaces whose scheduled actions remain: the listener's and a foreign one
    client = seed("eu-west-1")
    for name, description in (("gone", marker_text(Owner.listener(), None)), ("old", "by hand")):
        client.create_namespace(namespaceName=name)
        client.create_scheduled_action(
            scheduledActionName=f"snapshot-{name}",
            namespaceName=name,
            roleArn=ROLE_ARN,
            schedule={"cron": "cron(0 2 * * ? *)"},
            targetAction={"createSnapshot": {"namespaceName": name, "snapshotNamePrefix": name}},
            scheduledActionDescription=description,
        )
        client.delete_namespace(namespaceName=name)
    arguments = ["--prune", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint]

    # when a pruning sweep runs
    result = run_cli("sweep", *arguments, env=DEFAULTS)

    # then both were planned, only the tool's was removed
    assert result.exit_code == 0, result.output
    assert "prune" in result.stdout
    assert "eu-west-1: pruned 1" in result.stdout
    assert _scheduled_action_names(client) == ["snapshot-old"]


def test_sweep_repair_brings_the_listeners_schedule_back_to_the_defaults(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given the listener's scheduled action, edited by hand to another schedule
    client = seed("eu-west-1")
    client.create_namespace(namespaceName="drifted")
    client.create_scheduled_action(
        scheduledActionName="snapshot-drifted",
        namespaceName="drifted",
        roleArn=ROLE_ARN,
        schedule={"cron": "cron(0 2 * * ? *)"},
        targetAction={"createSnapshot": {"namespaceName": "drifted", "snapshotNamePrefix": "d"}},
        scheduledActionDescription=marker_text(Owner.listener(), None),
    )
    arguments = ["--repair", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint]

    # when a repairing sweep runs with the defaults (SCHED 0 6 * * ? *, no copy)
    result = run_cli("sweep", *arguments, env={**DEFAULTS, "DEST_REGION": "none"})

    # then the plan named the repair and the action follows SCHED again
    assert result.exit_code == 0, result.output
    assert "repair" in result.stdout
    assert "eu-west-1: repaired 1" in result.stdout
    action = client.get_scheduled_action(scheduledActionName="snapshot-drifted")
    assert "0 6 * * ? *" in action["scheduledAction"]["schedule"]["cron"]


def test_sweep_failure_on_a_namespace_is_reported_and_exits_one(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace to cover that already copies elsewhere, under a configuration by hand
    client = seed("eu-west-1")
    client.create_namespace(namespaceName="lonely")
    client.create_snapshot_copy_configuration(namespaceName="lonely", destinationRegion="us-east-2")
    arguments = ["--region", "eu-west-1", "--endpoint-url", fresh_endpoint]

    # when the sweep runs
    result = run_cli("sweep", *arguments, env=DEFAULTS)

    # then the failure is counted and named, and the exit code says so
    assert result.exit_code == 1, result.output
    assert "eu-west-1: failed lonely: Namespace 'lonely' already copies snapshots to us-east-2" in (
        result.stdout
    )
    assert "Traceback" not in result.output


def test_sweep_copying_into_a_swept_region_is_one_error_before_planning(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given namespaces to cover in two regions, one of them the copy destination
    seed("eu-west-1").create_namespace(namespaceName="first")
    seed("eu-west-1").create_namespace(namespaceName="second")
    seed("us-west-2").create_namespace(namespaceName="third")
    regions = ["--region", "eu-west-1", "--region", "us-west-2"]

    # when the sweep runs with the destination from the environment, then from the flag
    from_environment = run_cli("sweep", *regions, "--endpoint-url", fresh_endpoint, env=DEFAULTS)
    from_flag = run_cli(
        "sweep",
        *regions,
        "--endpoint-url",
        fresh_endpoint,
        "--destination-region",
        "eu-west-1",
        env=DEFAULTS,
    )

    # then each is one operator error naming the setting and the fix; nothing was planned
    assert from_environment.exit_code == 2, from_environment.output
    assert from_environment.output == (
        "Error: DEST_REGION us-west-2 is also a region to sweep, and a namespace cannot copy "
        "snapshots into its own region. Fix: pass another --destination-region (or 'none'), or "
        "sweep us-west-2 in a run of its own with a destination elsewhere.\n"
    )
    assert from_flag.exit_code == 2, from_flag.output
    assert from_flag.output.startswith("Error: --destination-region eu-west-1 is also a region")
    assert from_flag.output.count("\n") == 1
    assert _scheduled_action_names(seed("eu-west-1")) == []
    assert _scheduled_action_names(seed("us-west-2")) == []


def test_sweep_dry_run_shows_opt_outs_and_tag_problems_and_changes_nothing(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given an uncovered namespace, one opted out and one with a bad tag
    client = seed("eu-west-1")
    client.create_namespace(namespaceName="legacy")
    client.create_namespace(
        namespaceName="scratch", tags=[{"key": "snapshot-schedule", "value": "off"}]
    )
    client.create_namespace(
        namespaceName="odd",
        tags=[{"key": "snapshot-schedule:retention-period", "value": "forever"}],
    )
    arguments = ["sweep", "--dry-run", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint]

    # when a dry run is asked for, as a table and as JSON
    table = run_cli(*arguments, env=DEFAULTS)
    document = run_cli(*arguments, "--output", "json", env=DEFAULTS)

    # then the plan leaves out the opted-out namespace and names the tag problem
    assert table.exit_code == 0, table.output
    plan_rows = [line.split() for line in table.stdout.splitlines() if " create " in line]
    assert [row[2] for row in plan_rows] == ["legacy", "odd"]
    assert "eu-west-1: opted out by tag (skipped): scratch" in table.stdout
    assert "eu-west-1: tags of odd would be ignored: tag snapshot-schedule:retention-period" in (
        table.stdout
    )

    # then the JSON says the same, with the dry run's counts
    assert document.exit_code == 0, document.output
    region = json.loads(document.stdout)["regions"]["eu-west-1"]
    assert [step["namespace_name"] for step in region["plan"]["steps"]] == ["legacy", "odd"]
    assert region["plan"]["skipped_opt_out"] == ["scratch"]
    assert region["report"]["counts"]["skipped_opt_out"] == 1
    assert region["report"]["counts"]["remaining"] == 2
    assert region["report"]["tag_problems"][0]["namespace_name"] == "odd"
    assert _scheduled_action_names(client) == []


def test_sweep_with_repeated_region_sweeps_each_region_once(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace without a schedule in each of two regions
    seed("eu-west-1").create_namespace(namespaceName="west")
    seed("eu-central-1").create_namespace(namespaceName="central")
    regions = ["--region", "eu-west-1", "--region", "eu-central-1", "--region", "eu-west-1"]

    # when one sweep names both, one of them twice
    table = run_cli("sweep", *regions, "--endpoint-url", fresh_endpoint, "--dry-run", env=DEFAULTS)
    document = run_cli(
        "sweep", *regions, "--endpoint-url", fresh_endpoint, "--output", "json", env=DEFAULTS
    )

    # then the plan has one step per region, and each region was swept once, in the order given
    assert table.exit_code == 0, table.output
    steps = [line.split()[:3] for line in table.stdout.splitlines() if " create " in line]
    assert steps == [["eu-west-1", "create", "west"], ["eu-central-1", "create", "central"]]
    assert document.exit_code == 0, document.output
    reports = json.loads(document.stdout)["regions"]
    assert list(reports) == ["eu-west-1", "eu-central-1"]
    assert all(region["report"]["counts"]["created"] == 1 for region in reports.values())
    assert _scheduled_action_names(seed("eu-west-1")) == ["snapshot-west"]
    assert _scheduled_action_names(seed("eu-central-1")) == ["snapshot-central"]


def test_sweep_shows_a_progress_bar_on_a_terminal(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given six namespaces without a schedule, swept two at a time
    client = seed("eu-west-1")
    for index in range(6):
        client.create_namespace(namespaceName=f"ns-{index}")
    arguments = ["sweep", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint]
    terminal = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "100"}

    # when the sweep runs on a terminal
    result = run_cli(*arguments, "--concurrency", "2", env={**DEFAULTS, **terminal})

    # then stderr shows the bar, finished, and stdout the counts
    assert result.exit_code == 0, result.output
    assert "Sweeping" in result.stderr
    assert "100%" in result.stderr
    assert "eu-west-1: created 6" in result.stdout


def test_sweep_shows_no_progress_bar_when_piped(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace without a schedule
    seed("eu-west-1").create_namespace(namespaceName="piped")

    # when the sweep runs with its output going to a pipe
    result = run_cli(
        "sweep", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint, env=DEFAULTS
    )

    # then no progress bar is left in the output
    assert result.exit_code == 0, result.output
    assert "Sweeping" not in result.stderr
    assert "eu-west-1: created 1" in result.stdout


def test_sweep_verbose_logs_each_change_to_stderr(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a namespace without a schedule
    seed("eu-west-1").create_namespace(namespaceName="chatty")
    arguments = ["--region", "eu-west-1", "--endpoint-url", fresh_endpoint, "--output", "json"]

    # when a sweep runs with and without --verbose
    quiet = run_cli("sweep", *arguments, "--dry-run", env=DEFAULTS)
    verbose = run_cli("sweep", *arguments, "--verbose", env=DEFAULTS)

    # then only the verbose run logs the change, on stderr, leaving stdout pure JSON
    assert "INFO" not in quiet.stderr
    assert verbose.exit_code == 0, verbose.output
    assert "INFO event_listener.sweep: Sweep created the schedule of namespace chatty" in (
        verbose.stderr
    )
    assert json.loads(verbose.stdout)["regions"]["eu-west-1"]["report"]["counts"]["created"] == 1
