"""The cfn-lint rule for Custom::ServerlessSnapshotSchedule, on good and bad templates.

cfn-lint is slow to start, so one template holds every case as its own resource and the
command line users run (``cfn-lint --append-rules <dir>``) lints it once for the whole module.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[2] / "cfn_lint_rules"
RULE_ID = "E9101"

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Namespace:
    Type: String
  Retention:
    Type: Number
    Default: 7
  Copy:
    Type: String
    AllowedValues: ["yes", "no"]
Conditions:
  CopyWanted: !Equals [!Ref Copy, "yes"]
Resources:
"""

GOOD = {
    "EveryPropertyPlain": """\
        NamespaceName: orders
        Schedule: cron(0 0,8,16 * * ? *)
        RetentionPeriod: 14
        RoleArn: arn:aws:iam::123456789012:role/scheduler
        DestinationRegion: eu-central-1
        DestinationKmsKeyId: alias/copies
        CopyRetentionPeriod: -1
        SnapshotNamePrefix: orders-auto
        ScheduledActionName: orders-snapshots
        Enabled: true
    """,
    "StringsForNumbersAndBooleans": """\
        NamespaceName: orders
        RetentionPeriod: "7"
        CopyRetentionPeriod: "-1"
        Enabled: "false"
        DestinationRegion: ""
        Schedule: (0 4 ? * MON-FRI *)
    """,
    "IntrinsicFunctions": """\
        NamespaceName: !Ref Namespace
        RetentionPeriod: !Ref Retention
        DestinationRegion: !If [CopyWanted, eu-central-1, none]
        SnapshotNamePrefix: !Sub "${Namespace}-auto"
        ScheduledActionName: !If [CopyWanted, !Ref AWS::NoValue, !Sub "${Namespace}-local"]
    """,
}

BAD = {
    "BadSchedule": ("Schedule: daily", "'daily' does not match"),
    "BadNamespace": ("NamespaceName: Orders_DB", "'Orders_DB' does not match"),
    "ZeroRetention": ("RetentionPeriod: 0", "RetentionPeriod must not be 0: Days each snapshot"),
    "LongRetention": ("RetentionPeriod: 4000", "4000 is greater than the maximum of 3653"),
    "NegativeCopy": ("CopyRetentionPeriod: -2", "-2 is less than the minimum of -1"),
    "BadRole": ("RoleArn: scheduler-role", "'scheduler-role' does not match"),
    "BadRegion": ("DestinationRegion: Frankfurt", "'Frankfurt' does not match"),
    "BadActionName": ("ScheduledActionName: Snap_Orders", "'Snap_Orders' does not match"),
    "BadPrefix": ("SnapshotNamePrefix: Orders", "'Orders' does not match"),
    "BadEnabled": ("Enabled: sometimes", "'sometimes' is not of type 'boolean'"),
    "UnknownProperty": (
        "Retention: 7",
        "Additional properties are not allowed ('Retention' was unexpected)",
    ),
    "BadValueInIntrinsic": (
        "RetentionPeriod: !If [CopyWanted, 14, 0]",
        "RetentionPeriod must not be 0",
    ),
}


def _resource(logical_id: str, properties: str) -> str:
    body = "ServiceToken: !Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:"
    body += "function:f\n"
    body += textwrap.dedent(properties)
    return (
        f"  {logical_id}:\n"
        "    Type: Custom::ServerlessSnapshotSchedule\n"
        "    Properties:\n" + textwrap.indent(body, " " * 6)
    )


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """cfn-lint's messages of our rule, by logical id, for one template holding every case."""
    resources = [_resource(name, properties) for name, properties in GOOD.items()]
    resources += [
        _resource(name, f"NamespaceName: orders\n{line}\n")
        if not line.startswith("NamespaceName")
        else _resource(name, f"{line}\n")
        for name, (line, _) in BAD.items()
    ]
    resources.append(_resource("MissingNamespace", "RetentionPeriod: 7\n"))
    template = tmp_path_factory.mktemp("lint") / "template.yaml"
    template.write_text(HEADER + "".join(resources))

    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    finished = subprocess.run(  # noqa: S603 - our own tool with fixed arguments
        [str(cfn_lint), "--append-rules", str(RULES_DIR), "--format", "json", "--", str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode in (0, 2), finished.stderr

    by_resource: dict[str, list[str]] = defaultdict(list)
    for match in json.loads(finished.stdout):
        assert match["Rule"]["Id"] == RULE_ID, match
        by_resource[match["Location"]["Path"][1]].append(match["Message"])
    return dict(by_resource)


@pytest.mark.parametrize("logical_id", sorted(GOOD))
def test_lint_accepts_a_good_declaration(findings: dict[str, list[str]], logical_id: str) -> None:
    # given a declaration written plainly, with strings, or with intrinsic functions

    # when
    messages = findings.get(logical_id, [])

    # then
    assert messages == []


@pytest.mark.parametrize("logical_id", sorted(BAD))
def test_lint_rejects_a_bad_value(findings: dict[str, list[str]], logical_id: str) -> None:
    # given
    _, expected = BAD[logical_id]

    # when
    messages = findings.get(logical_id, [])

    # then
    assert len(messages) == 1, messages
    assert expected in messages[0]


def test_lint_rejects_a_missing_namespace_name(findings: dict[str, list[str]]) -> None:
    # given a declaration without NamespaceName

    # when
    messages = findings.get("MissingNamespace", [])

    # then
    assert messages == ["'NamespaceName' is a required property"]
