"""Reading the project's CloudFormation templates: resources, IAM statements, intrinsics."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
MAIN_TEMPLATE = TEMPLATES / "main.yaml"
NO_VALUE = {"Ref": "AWS::NoValue"}


def template_paths() -> list[Path]:
    """Every CloudFormation template of the project."""
    return sorted(TEMPLATES.rglob("*.yaml"))


@cache
def load(path: Path) -> dict[str, Any]:
    """The template as plain data; short-form intrinsics become their long form."""
    template: dict[str, Any] = _plain(cfn_yaml.load(str(path)))
    return template


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, str):
        return str(node)
    return node


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


@dataclass(frozen=True)
class Statement:
    """One IAM statement and where it came from; condition names the template condition that
    guards it (an Fn::If around the statement), if any."""

    document: str
    body: dict[str, Any]
    condition: str | None = None

    @property
    def actions(self) -> list[str]:
        return as_list(self.body.get("Action", []))

    @property
    def resources(self) -> list[Any]:
        return as_list(self.body.get("Resource", []))

    @property
    def allows(self) -> bool:
        return self.body.get("Effect") == "Allow"


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(template: dict[str, Any], role: str) -> list[Statement]:
    """The statements of a role's inline policies and of every policy resource attached to it."""
    resources = template["Resources"]
    statements: list[Statement] = []
    for policy in resources[role]["Properties"].get("Policies", []):
        name = f"{role}/{policy['PolicyName']}"
        statements.extend(_statements(name, policy["PolicyDocument"]))

    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::RolePolicy" and properties["RoleName"] == {"Ref": role}:
            statements.extend(_statements(name, properties["PolicyDocument"]))
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") and {
            "Ref": role
        } in properties.get("Roles", []):
            statements.extend(_statements(name, properties["PolicyDocument"]))
    return statements


def policy_documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every IAM policy document of the template (identity and resource policies alike)."""
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for policy in properties.get("Policies", []):
            yield f"{name}/{policy['PolicyName']}", policy["PolicyDocument"]
        for key in ("PolicyDocument", "AssumeRolePolicyDocument"):
            if key in properties:
                yield f"{name}/{key}", properties[key]


def all_statements(template: dict[str, Any]) -> list[Statement]:
    statements: list[Statement] = []
    for name, document in policy_documents(template):
        statements.extend(_statements(name, document))
    return statements


def _statements(name: str, document: dict[str, Any]) -> Iterator[Statement]:
    for entry in as_list(document["Statement"]):
        if "Fn::If" in entry:
            condition, when_true, when_false = entry["Fn::If"]
            assert when_false == NO_VALUE, f"{name}: an Fn::If statement must fall back to NoValue"
            yield Statement(name, when_true, condition)
        else:
            yield Statement(name, entry)
