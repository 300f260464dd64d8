"""The templates deploy what the architecture promises: the functions as configured, the event
rule, the sweep, the dead-letter path, the exported ServiceToken, and nothing that collides when
the stack is deployed to many accounts and regions."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from event_listener.config import ListenerConfig
from tests.templates.cfn import (
    MAIN_TEMPLATE,
    ROOT,
    TEMPLATES,
    load,
    resources_of_type,
    template_paths,
)
from tests.templates.code_calls import reachable_modules

ARCHITECTURE = ROOT / "docs" / "architecture.md"
CUSTOM_TYPE = "Custom::ServerlessSnapshotSchedule"
FUNCTIONS = {
    "CustomResourceFunction": ("custom_resource.handler.handler", {"both", "custom resource"}),
    "ListenerFunction": ("event_listener.handler.handler", {"both", "listener"}),
}
# Properties that give a resource a fixed physical name: two stacks of one account and region
# (or a StackSet's instances) would collide on them.
NAMING_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::Events::Rule": "Name",
    "AWS::CloudWatch::Alarm": "AlarmName",
}
LAMBDA_MAX_TIMEOUT = 900
WAIT_MARGIN_SECONDS = 60


def _main() -> dict[str, Any]:
    return load(MAIN_TEMPLATE)


def _environment_tables() -> list[dict[str, set[str]]]:
    """variable -> "used by" values, one mapping per table of the architecture's configuration
    section: first what the template sets, then the tuning knobs it leaves at their defaults."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split("## Configuration of the functions")[1]
    tables: list[dict[str, set[str]]] = []
    in_table = False
    for line in section.split("\n## ")[0].splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table:
            tables.append({})
            in_table = True
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        for name in re.findall(r"`([A-Z_]+)`", cells[0]):
            tables[-1].setdefault(name, set()).add(cells[1])
    return tables


def _environment_table() -> dict[str, set[str]]:
    return _environment_tables()[0]


def _tuning_table() -> dict[str, set[str]]:
    return _environment_tables()[1]


def _string_constants(module: str) -> set[str]:
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    if not path.is_file():
        path = ROOT.joinpath(*module.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_function_runs_the_contract_handler_on_python312_arm64_with_json_logs(function):
    # given
    handler, _ = FUNCTIONS[function]

    # when
    properties = _main()["Resources"][function]["Properties"]

    # then
    assert properties["Handler"] == handler
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["arm64"]
    assert properties["LoggingConfig"]["LogFormat"] == "JSON"
    log_group = properties["LoggingConfig"]["LogGroup"]["Ref"]
    group = _main()["Resources"][log_group]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_function_environment_is_the_documented_one(function):
    # given
    _, used_by = FUNCTIONS[function]
    documented = {name for name, users in _environment_table().items() if users & used_by}

    # when
    variables = _main()["Resources"][function]["Properties"]["Environment"]["Variables"]

    # then
    assert {"SCHED", "ROLE_ARN", "RETENTION_PERIOD", "DEST_REGION"} <= documented
    assert set(variables) == documented


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_function_environment_is_read_by_its_code(function):
    # given
    handler, _ = FUNCTIONS[function]
    entry = handler.rpartition(".")[0]
    constants = set().union(*(_string_constants(module) for module in reachable_modules(entry)))

    # when
    variables = _main()["Resources"][function]["Properties"]["Environment"]["Variables"]

    # then
    assert sorted(set(variables) - constants) == []


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_tuning_knobs_are_read_by_their_code_and_left_to_their_defaults(function):
    # given
    handler, used_by = FUNCTIONS[function]
    documented = {name for name, users in _tuning_table().items() if users & used_by}
    entry = handler.rpartition(".")[0]
    constants = set().union(*(_string_constants(module) for module in reachable_modules(entry)))

    # when
    variables = _main()["Resources"][function]["Properties"]["Environment"]["Variables"]

    # then
    assert documented
    assert sorted(documented - constants) == []
    assert not documented & (set(variables) - _environment_table().keys())


def test_function_environment_carries_the_seed_values():
    # given / when
    variables = _main()["Resources"]["ListenerFunction"]["Properties"]["Environment"]["Variables"]

    # then
    assert variables["SCHED"] == {"Ref": "Schedule"}
    assert variables["ROLE_ARN"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    assert variables["RETENTION_PERIOD"] == {"Ref": "RetentionPeriod"}
    assert variables["DEST_REGION"] == {"Ref": "DestinationRegion"}


def test_parameters_defaults_match_the_documented_defaults():
    # given
    parameters = _main()["Parameters"]

    # when / then
    assert parameters["Schedule"]["Default"] == "0 0,8,16 * * ? *"
    assert parameters["RetentionPeriod"]["Default"] == 7
    assert "Default" not in parameters["DestinationRegion"]
    assert parameters["WaitAttempts"]["Default"] == 20
    assert parameters["WaitIntervalSeconds"]["Default"] == 30


def test_listener_timeout_covers_the_longest_wait_the_parameters_allow():
    # given
    parameters = _main()["Parameters"]
    longest_wait = (
        parameters["WaitAttempts"]["MaxValue"] * parameters["WaitIntervalSeconds"]["MaxValue"]
    )

    # when
    timeout = _main()["Resources"]["ListenerFunction"]["Properties"]["Timeout"]

    # then
    assert longest_wait + WAIT_MARGIN_SECONDS <= timeout <= LAMBDA_MAX_TIMEOUT
    assert timeout >= 20 * 30 + WAIT_MARGIN_SECONDS


@pytest.mark.parametrize(
    "path",
    [path for path in template_paths() if resources_of_type(load(path), CUSTOM_TYPE)],
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_custom_resource_service_timeout_exceeds_the_function_timeout(path: Path):
    # given
    function_timeout = _main()["Resources"]["CustomResourceFunction"]["Properties"]["Timeout"]

    # when
    resources = resources_of_type(load(path), CUSTOM_TYPE).values()

    # then
    for resource in resources:
        assert function_timeout < resource["Properties"]["ServiceTimeout"] <= 3600


def test_example_uses_the_exported_service_token():
    # given
    export = _main()["Outputs"]["ServiceToken"]

    # when
    (schedule,) = resources_of_type(
        load(TEMPLATES / "example-namespace.yaml"), CUSTOM_TYPE
    ).values()

    # then
    assert export["Value"] == {"Fn::GetAtt": ["CustomResourceFunction", "Arn"]}
    assert export["Export"]["Name"] == {
        "Fn::If": [
            "HasExportNamePrefix",
            {"Fn::Sub": "${ExportNamePrefix}-ServiceToken"},
            {"Fn::Sub": "${AWS::StackName}-ServiceToken"},
        ]
    }
    imported = schedule["Properties"]["ServiceToken"]["Fn::ImportValue"]["Fn::Sub"]
    assert imported == "${SnapshotScheduleStackName}-ServiceToken"


def test_namespace_rule_matches_successful_create_and_delete_calls_only():
    # given / when
    rule = _main()["Resources"]["NamespaceEventsRule"]["Properties"]

    # then
    assert rule["EventPattern"] == {
        "source": ["aws.redshift-serverless"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            "eventSource": ["redshift-serverless.amazonaws.com"],
            "eventName": ["CreateNamespace", "DeleteNamespace"],
            "errorCode": [{"exists": False}],
        },
    }
    assert [target["Arn"] for target in rule["Targets"]] == [
        {"Fn::GetAtt": ["ListenerFunction", "Arn"]}
    ]


def test_sweep_rule_runs_the_listener_on_the_sweep_schedule():
    # given / when
    rule = _main()["Resources"]["SweepRule"]["Properties"]

    # then
    assert rule["ScheduleExpression"] == {"Ref": "SweepSchedule"}
    assert _main()["Parameters"]["SweepSchedule"]["Default"].startswith("cron(")
    assert [target["Arn"] for target in rule["Targets"]] == [
        {"Fn::GetAtt": ["ListenerFunction", "Arn"]}
    ]
    assert "Input" not in rule["Targets"][0]


@pytest.mark.parametrize("rule", ["NamespaceEventsRule", "SweepRule"])
def test_rules_may_invoke_the_listener_and_nothing_else_may(rule):
    # given
    permissions = resources_of_type(_main(), "AWS::Lambda::Permission").values()

    # when
    sources = [p["Properties"]["SourceArn"] for p in permissions]

    # then
    assert {"Fn::GetAtt": [rule, "Arn"]} in sources
    assert all(p["Properties"]["Principal"] == "events.amazonaws.com" for p in permissions)


def test_failed_listener_events_reach_an_encrypted_queue_with_an_alarm():
    # given
    resources = _main()["Resources"]

    # when
    listener = resources["ListenerFunction"]["Properties"]
    alarm = resources["DeadLetterAlarm"]["Properties"]

    # then
    assert listener["DeadLetterConfig"]["TargetArn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}
    assert resources["DeadLetterQueue"]["Properties"]["SqsManagedSseEnabled"] is True
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["DeadLetterQueue", "QueueName"]}}
    ]
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["Threshold"] == 0
    for rule in ("NamespaceEventsRule", "SweepRule"):
        (target,) = resources[rule]["Properties"]["Targets"]
        assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}


def test_main_template_names_nothing_that_collides_across_stacks():
    # given
    resources = _main()["Resources"]

    # when
    named = [
        name
        for name, resource in resources.items()
        if NAMING_PROPERTIES.get(resource["Type"]) in resource.get("Properties", {})
    ]
    exports = [
        output["Export"]["Name"] for output in _main()["Outputs"].values() if "Export" in output
    ]

    # then
    assert named == []
    assert exports
    # A chosen prefix is unique per account and region (one StackSet instance each); the
    # default is the stack's own name.
    for export in exports:
        condition, prefixed, default = export["Fn::If"]
        assert condition == "HasExportNamePrefix"
        assert prefixed["Fn::Sub"].startswith("${ExportNamePrefix}-")
        assert default["Fn::Sub"].startswith("${AWS::StackName}-")


@pytest.mark.parametrize("level", _main()["Parameters"]["LogLevel"]["AllowedValues"])
def test_log_level_choices_are_understood_by_the_listener_and_by_lambda(level):
    # given
    environ = {
        "ROLE_ARN": "arn:aws:iam::111122223333:role/scheduler",
        "DEST_REGION": "none",
        "LOG_LEVEL": level,
    }

    # when
    config = ListenerConfig.from_environ(environ)
    lambda_level = _main()["Mappings"]["LambdaLogLevels"][level]["Level"]

    # then
    assert config.log_level == level
    assert lambda_level in {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}


def _data_keys_of_the_custom_resource() -> set[str]:
    """Keys of the dictionaries the handler assigns to crhelper's Data (the GetAtt names)."""
    tree = ast.parse((ROOT / "custom_resource" / "handler.py").read_text(encoding="utf-8"))
    keys: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Attribute)
            and node.targets[0].attr == "Data"
            and isinstance(node.value, ast.Dict)
        ):
            keys |= {key.value for key in node.value.keys if isinstance(key, ast.Constant)}
    return keys


def _get_atts(node: Any) -> list[list[str]]:
    if isinstance(node, dict):
        found = [node["Fn::GetAtt"]] if "Fn::GetAtt" in node else []
        return found + [att for value in node.values() for att in _get_atts(value)]
    if isinstance(node, list):
        return [att for value in node for att in _get_atts(value)]
    return []


@pytest.mark.parametrize(
    "path",
    [path for path in template_paths() if resources_of_type(load(path), CUSTOM_TYPE)],
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_custom_resource_attributes_read_by_templates_are_returned(path: Path):
    # given
    template = load(path)
    custom = resources_of_type(template, CUSTOM_TYPE)

    # when
    read = {attribute for name, attribute in _get_atts(template) if name in custom}

    # then
    assert read
    assert sorted(read - _data_keys_of_the_custom_resource()) == []
