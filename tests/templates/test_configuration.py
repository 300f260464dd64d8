"""What the templates hand the functions is accepted by the functions' own validation: the
environment the main template's defaults produce, and the example schedules' properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from custom_resource.properties import spec_from_properties
from custom_resource.spec import Defaults, Owner
from event_listener.config import ListenerConfig
from tests.templates.cfn import MAIN_TEMPLATE, TEMPLATES, load, resources_of_type, template_paths

CUSTOM_TYPE = "Custom::ServerlessSnapshotSchedule"
SCHEDULER_ROLE_ARN = "arn:aws:iam::111122223333:role/stack-SchedulerRole-ABC"
SERVICE_TOKEN = "arn:aws:lambda:eu-west-1:111122223333:function:stack-CustomResourceFunction-X"
DESTINATION_KEY_ARN = (
    "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)
REQUIRED_PARAMETERS = {
    "DestinationRegion": "eu-central-1",
    "CodeS3Bucket": "artifacts",
    "CodeS3Key": "snapshot-schedule.zip",
}


NO_VALUE = object()


class _Resolver:
    """Evaluates the few intrinsics the templates use, for given parameter values."""

    def __init__(self, template: dict[str, Any], parameters: dict[str, str]) -> None:
        self.template = template
        defaults = {
            name: str(parameter["Default"])
            for name, parameter in template.get("Parameters", {}).items()
            if "Default" in parameter
        }
        self.parameters = {**defaults, **parameters}

    def value(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.value(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node == {"Ref": "AWS::NoValue"}:
            return NO_VALUE
        if "Ref" in node and node["Ref"] in self.template["Resources"]:
            # A namespace's Ref is its name.
            resource = self.template["Resources"][node["Ref"]]
            assert resource["Type"] == "AWS::RedshiftServerless::Namespace", node
            return self.value(resource["Properties"]["NamespaceName"])
        if "Ref" in node:
            return self.parameters[node["Ref"]]
        if "Fn::If" in node:
            condition, when_true, when_false = node["Fn::If"]
            return self.value(when_true if self.condition(condition) else when_false)
        if "Fn::GetAtt" in node and node["Fn::GetAtt"] == ["SchedulerRole", "Arn"]:
            return SCHEDULER_ROLE_ARN
        if "Fn::ImportValue" in node:
            return SERVICE_TOKEN
        raise AssertionError(f"intrinsic not understood here: {node}")

    def condition(self, name: str) -> bool:
        return bool(self._evaluate(self.template["Conditions"][name]))

    def _evaluate(self, node: Any) -> Any:
        if isinstance(node, dict) and "Fn::Not" in node:
            return not self._evaluate(node["Fn::Not"][0])
        if isinstance(node, dict) and "Fn::Equals" in node:
            left, right = (self.value(side) for side in node["Fn::Equals"])
            return left == right
        return self.value(node)


def _environment(function: str, **parameters: str) -> dict[str, str]:
    template = load(MAIN_TEMPLATE)
    resolver = _Resolver(template, {**REQUIRED_PARAMETERS, **parameters})
    variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
    return {name: str(resolver.value(value)) for name, value in variables.items()}


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"DestinationRegion": "none", "CopyRetentionPeriod": "-1", "LogLevel": "WARNING"},
        {
            "DestinationKmsKeyArn": DESTINATION_KEY_ARN,
            "RetentionPeriod": "-1",
            "Schedule": "cron(0 4 * * ? *)",
        },
    ],
    ids=["defaults", "no-copy", "kms-key"],
)
def test_configuration_main_template_environment_is_accepted_by_both_functions(parameters):
    # given
    custom_resource = _environment("CustomResourceFunction", **parameters)
    listener = _environment("ListenerFunction", **parameters)

    # when
    defaults = Defaults.from_environ(custom_resource)
    config = ListenerConfig.from_environ(listener)

    # then
    assert defaults.role_arn == SCHEDULER_ROLE_ARN
    assert config.defaults == defaults
    assert config.wait_attempts == 20
    assert config.wait_interval_seconds == 30.0


def _declared_properties(path: Path) -> list[dict[str, str]]:
    """The properties of every schedule in a template, as CloudFormation would send them: with
    the parameters' defaults, every value a string."""
    template = load(path)
    parameters = {
        name: "subnet-1,subnet-2" if "List" in parameter["Type"] else f"{name}-value"
        for name, parameter in template.get("Parameters", {}).items()
        if "Default" not in parameter
    }
    parameters["NamespaceName"] = "example-analytics"
    resolver = _Resolver(template, parameters)
    declared = []
    for resource in resources_of_type(template, CUSTOM_TYPE).values():
        properties = {name: resolver.value(value) for name, value in resource["Properties"].items()}
        declared.append(
            {name: str(value) for name, value in properties.items() if value is not NO_VALUE}
        )
    return declared


@pytest.mark.parametrize(
    "path",
    [path for path in template_paths() if resources_of_type(load(path), CUSTOM_TYPE)],
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_configuration_example_schedules_are_accepted_by_the_custom_resource(path, monkeypatch):
    # given
    defaults = Defaults(role_arn=SCHEDULER_ROLE_ARN, destination_region="eu-central-1")
    declared = _declared_properties(path)

    # when
    specs = [
        spec_from_properties(properties, defaults, Owner.stack("example", "SnapshotSchedule"))
        for properties in declared
    ]

    # then
    assert [spec.namespace_name for spec in specs] == ["example-analytics"] * len(declared)
    assert all(spec.scheduled_action_name == "snapshot-example-analytics" for spec in specs)
