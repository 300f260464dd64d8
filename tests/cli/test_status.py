"""`snapshot-schedule status` against the emulator server over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from click.testing import Result

from custom_resource.spec import MARKER_PREFIX, Owner, marker_text

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

Seed = Callable[[str], "RedshiftServerlessClient"]
ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"


def _namespace(
    client: RedshiftServerlessClient,
    name: str,
    *,
    workgroup: bool = True,
    tags: dict[str, str] | None = None,
) -> None:
    client.create_namespace(
        namespaceName=name, tags=[{"key": k, "value": v} for k, v in (tags or {}).items()]
    )
    if workgroup:
        client.create_workgroup(workgroupName=f"{name}-wg", namespaceName=name)


def _action(
    client: RedshiftServerlessClient,
    namespace_name: str,
    *,
    description: str | None,
    enabled: bool = True,
    cron: str = "cron(0 0,8,16 * * ? *)",
) -> None:
    extra: dict[str, Any] = {}
    if description is not None:
        extra["scheduledActionDescription"] = description
    client.create_scheduled_action(
        scheduledActionName=f"snapshot-{namespace_name}",
        namespaceName=namespace_name,
        roleArn=ROLE_ARN,
        schedule={"cron": cron},
        targetAction={
            "createSnapshot": {
                "namespaceName": namespace_name,
                "snapshotNamePrefix": namespace_name,
                "retentionPeriod": 7,
            }
        },
        enabled=enabled,
        **extra,
    )


def _listener_marker(copy_region: str | None = None) -> str:
    return marker_text(Owner.listener(), copy_region)


def _rows(result: Result) -> dict[str, dict[str, Any]]:
    document = json.loads(result.stdout)
    return {row["namespace_name"]: row for row in document["namespaces"]}


def test_status_all_protected_exits_zero(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given two namespaces with a workgroup and an active schedule each
    client = seed("eu-west-1")
    for name in ("alpha", "bravo"):
        _namespace(client, name)
        _action(client, name, description=_listener_marker())

    # when the status is asked for
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)

    # then both rows say protected and the exit code is 0
    assert result.exit_code == 0, result.output
    assert "alpha" in result.stdout
    assert "bravo" in result.stdout
    assert result.stdout.count("protected") == 3  # two rows and the summary
    assert "2 of 2 namespaces protected (exit code 0)" in result.stdout


def test_status_table_shows_owner_schedule_copy_and_verdict(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given one namespace per situation
    client = seed("eu-west-1")
    _namespace(client, "covered")
    _action(client, "covered", description=_listener_marker("us-west-2"))
    client.create_snapshot_copy_configuration(
        namespaceName="covered", destinationRegion="us-west-2", snapshotRetentionPeriod=3
    )
    _namespace(client, "bare")
    _namespace(client, "no-workgroup", workgroup=False)
    _action(client, "no-workgroup", description=_listener_marker())

    # when the status is asked for as a table
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)

    # then each row shows what protects the namespace and the verdict; exit code 1
    assert result.exit_code == 1, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "listener" in lines["covered"]
    assert "0 0,8,16 * * ? *" in lines["covered"]
    assert "us-west-2 3d" in lines["covered"]
    assert lines["covered"].rstrip().endswith("protected")
    assert "none" in lines["bare"]
    assert lines["bare"].rstrip().endswith("unprotected")
    assert lines["no-workgroup"].rstrip().endswith("at risk: no workgroup")
    assert "1 of 3 namespaces protected (exit code 1)" in result.stdout


def test_status_json_reports_each_namespace(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a stack's, a foreign, a disabled and an opted-out namespace
    client = seed("eu-west-1")
    _namespace(client, "declared")
    _action(client, "declared", description=marker_text(Owner.stack("warehouse", "Schedule"), None))
    _namespace(client, "handmade")
    _action(client, "handmade", description="taken by the on-call team")
    _namespace(client, "paused")
    _action(client, "paused", description=_listener_marker(), enabled=False)
    _namespace(client, "scratch", tags={"snapshot-schedule": "off"})

    # when the status is asked for as JSON
    result = run_cli(
        "status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint, "--output", "json"
    )

    # then owners, verdicts and the opt-out are machine readable; paused fails the check
    assert result.exit_code == 1, result.output
    rows = _rows(result)
    assert rows["declared"]["owner_kind"] == "stack"
    assert rows["declared"]["owner"] == "stack/warehouse/Schedule"
    assert rows["declared"]["verdict"] == "protected"
    assert rows["handmade"]["owner_kind"] == "foreign"
    assert rows["handmade"]["verdict"] == "protected"
    assert rows["paused"]["state"] == "DISABLED"
    assert rows["paused"]["verdict"] == "at risk"
    assert rows["paused"]["reasons"] == ["disabled"]
    assert rows["scratch"]["opted_out"] is True
    assert rows["scratch"]["verdict"] == "unprotected"
    assert rows["declared"]["schedule"] == "0 0,8,16 * * ? *"
    assert rows["declared"]["retention_period"] == 7
    assert rows["declared"]["next_run"].endswith("Z")
    assert json.loads(result.stdout)["all_protected"] is False


def test_status_marker_with_an_unreadable_owner_shows_the_raw_owner(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given the tool's marker naming owners this version cannot read as a stack or the listener
    client = seed("eu-west-1")
    for name, owner in (("odd", "stackfoo"), ("half", "stack/warehouse")):
        _namespace(client, name)
        _action(client, name, description=f"{MARKER_PREFIX}; owner={owner}; copy=none")

    # when the status is asked for as a table and as JSON
    table = run_cli("status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)
    document = run_cli(
        "status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint, "--output", "json"
    )

    # then no crash: the raw owner is shown, and the schedule still protects the namespace
    assert table.exit_code == 0, table.output
    lines = {line.split()[0]: line for line in table.stdout.splitlines() if line.strip()}
    assert lines["odd"].split()[2] == "stackfoo"
    assert lines["half"].split()[2] == "stack/warehouse"
    assert document.exit_code == 0, document.output
    rows = _rows(document)
    assert (rows["odd"]["owner_kind"], rows["odd"]["owner"]) == ("unknown", "stackfoo")
    assert (rows["half"]["owner_kind"], rows["half"]["owner"]) == ("unknown", "stack/warehouse")
    assert rows["odd"]["verdict"] == "protected"


def test_status_opted_out_namespace_does_not_fail_the_check(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given a protected namespace and an unprotected one that opted out by tag
    client = seed("eu-west-1")
    _namespace(client, "kept")
    _action(client, "kept", description=_listener_marker())
    _namespace(client, "scratch", tags={"snapshot-schedule": "off"})

    # when the status is asked for
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)

    # then the check passes and says one namespace opted out
    assert result.exit_code == 0, result.output
    assert "unprotected (opted out)" in result.stdout
    assert "1 of 1 namespaces protected, 1 opted out (exit code 0)" in result.stdout


def test_status_several_regions_in_one_run(
    run_cli: Callable[..., Result], seed: Seed, fresh_endpoint: str
) -> None:
    # given one namespace in each of two regions
    _namespace(seed("eu-west-1"), "dublin")
    _namespace(seed("us-east-1"), "virginia")

    # when both regions are asked for
    result = run_cli(
        "status",
        "--region",
        "eu-west-1",
        "--region",
        "us-east-1",
        "--endpoint-url",
        fresh_endpoint,
        "--output",
        "json",
    )

    # then each namespace is reported with its region
    assert result.exit_code == 1
    rows = _rows(result)
    assert rows["dublin"]["region"] == "eu-west-1"
    assert rows["virginia"]["region"] == "us-east-1"


def test_status_empty_region_passes(run_cli: Callable[..., Result], fresh_endpoint: str) -> None:
    # given a region without namespaces

    # when the status is asked for
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint)

    # then there is nothing to protect
    assert result.exit_code == 0
    assert result.stdout.strip() == "No namespaces."


def test_console_script_status_over_http(seed: Seed, fresh_endpoint: str) -> None:
    # given a protected namespace and the installed `snapshot-schedule` command
    client = seed("eu-west-1")
    _namespace(client, "alpha")
    _action(client, "alpha", description=_listener_marker())
    command = Path(sys.executable).with_name("snapshot-schedule")

    # when an operator runs it, output piped
    completed = subprocess.run(  # noqa: S603 - fixed argv
        [str(command), "status", "--region", "eu-west-1", "--endpoint-url", fresh_endpoint],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=60,
        check=False,
    )

    # then the table is printed in full width and the check passes
    assert completed.returncode == 0, completed.stderr
    rows = [line for line in completed.stdout.splitlines() if line.startswith("alpha")]
    assert len(rows) == 1
    assert "0 0,8,16 * * ? *" in rows[0]
    assert rows[0].rstrip().endswith("protected")
    assert "1 of 1 namespaces protected (exit code 0)" in completed.stdout
    assert completed.stderr == ""
