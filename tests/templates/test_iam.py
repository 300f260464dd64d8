"""The templates' IAM policies grant exactly what the code calls, scoped to the account and
region, and the scheduler role can be passed and nothing else."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.templates.cfn import (
    MAIN_TEMPLATE,
    Statement,
    all_statements,
    load,
    resources_of_type,
    role_statements,
    template_paths,
)
from tests.templates.code_calls import (
    crhelper_polling_actions,
    product_actions,
    uses_crhelper_polling,
)

# What the functions need from the runtime rather than from their own code.
LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}
DEAD_LETTER_ACTIONS = {"sqs:SendMessage"}
# Calls whose request names the scheduler role (roleArn): IAM checks iam:PassRole on them.
PASSES_ROLE = {
    "redshift-serverless:CreateScheduledAction",
    "redshift-serverless:UpdateScheduledAction",
}
# A customer-managed destination key needs these when a copy configuration is made.
KMS_ACTIONS = {"kms:CreateGrant", "kms:DescribeKey"}
MAKES_COPIES = "redshift-serverless:CreateSnapshotCopyConfiguration"

FUNCTIONS = {
    # function resource: (execution role, module whose `handler` Lambda calls)
    "CustomResourceFunction": ("CustomResourceRole", "custom_resource.handler"),
    "ListenerFunction": ("ListenerRole", "event_listener.handler"),
}
# Actions the Service Authorization Reference gives no resource type: only Resource "*" matches.
WITHOUT_RESOURCE_TYPE = {
    "redshift-serverless:DeleteScheduledAction",
    "redshift-serverless:DeleteSnapshotCopyConfiguration",
    "redshift-serverless:GetScheduledAction",
    "redshift-serverless:ListNamespaces",
    "redshift-serverless:ListScheduledActions",
    "redshift-serverless:ListWorkgroups",
    "redshift-serverless:UpdateScheduledAction",
    "redshift-serverless:UpdateSnapshotCopyConfiguration",
}
SCOPED_ARN = re.compile(
    r"^arn:\$\{AWS::Partition\}:[a-z-]+:\$\{AWS::Region\}:\$\{AWS::AccountId\}:[a-z-]+/"
)


def _main() -> dict[str, Any]:
    return load(MAIN_TEMPLATE)


def _expected_actions(function: str) -> set[str]:
    _, entry = FUNCTIONS[function]
    properties = _main()["Resources"][function]["Properties"]

    expected = product_actions(entry) | LOG_ACTIONS
    if uses_crhelper_polling(entry):
        expected |= crhelper_polling_actions()
    if "DeadLetterConfig" in properties:
        expected |= DEAD_LETTER_ACTIONS
    if expected & PASSES_ROLE:
        expected.add("iam:PassRole")
    if MAKES_COPIES in expected:
        expected |= KMS_ACTIONS
    return expected


def _granted(statements: list[Statement]) -> set[str]:
    return {action for statement in statements if statement.allows for action in statement.actions}


@pytest.mark.parametrize("path", template_paths(), ids=lambda path: path.name)
def test_iam_no_allow_statement_grants_a_wildcard_action(path):
    # given
    statements = [statement for statement in all_statements(load(path)) if statement.allows]

    # when
    wildcards = [
        (statement.document, action)
        for statement in statements
        for action in statement.actions
        if "*" in action or not isinstance(action, str)
    ]

    # then
    assert wildcards == []


def test_iam_code_calls_are_found_in_the_sources():
    # given / when
    custom_resource = product_actions("custom_resource.handler")
    listener = product_actions("event_listener.handler")

    # then: the analysis sees the calls both functions are known to make
    assert "redshift-serverless:CreateScheduledAction" in custom_resource
    assert "redshift-serverless:ListNamespaces" in listener
    assert uses_crhelper_polling("custom_resource.handler")
    assert crhelper_polling_actions() == {
        "events:PutRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:DeleteRule",
        "lambda:AddPermission",
        "lambda:RemovePermission",
    }


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_iam_execution_role_grants_exactly_what_the_code_calls(function):
    # given
    role, _ = FUNCTIONS[function]
    expected = _expected_actions(function)

    # when
    granted = _granted(role_statements(_main(), role))

    # then
    assert sorted(expected - granted) == [], "called but not granted"
    assert sorted(granted - expected) == [], "granted but never called"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_iam_execution_role_belongs_to_its_function(function):
    # given
    role, _ = FUNCTIONS[function]

    # when
    properties = _main()["Resources"][function]["Properties"]

    # then
    assert properties["Role"] == {"Fn::GetAtt": [role, "Arn"]}


@pytest.mark.parametrize("path", template_paths(), ids=lambda path: path.name)
def test_iam_pass_role_is_limited_to_the_scheduler_role(path):
    # given
    statements = [statement for statement in all_statements(load(path)) if statement.allows]

    # when
    passing = [statement for statement in statements if "iam:PassRole" in statement.actions]

    # then
    for statement in passing:
        assert statement.actions == ["iam:PassRole"], statement.document
        assert statement.resources == [{"Fn::GetAtt": ["SchedulerRole", "Arn"]}]


def test_iam_scheduler_role_trusts_only_the_redshift_scheduler_of_this_account():
    # given
    role = _main()["Resources"]["SchedulerRole"]["Properties"]

    # when
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]

    # then
    assert trust["Principal"] == {"Service": "scheduler.redshift.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_iam_scheduler_role_may_only_create_snapshots_here():
    # given
    statements = role_statements(_main(), "SchedulerRole")

    # when
    (statement,) = statements

    # then
    assert statement.actions == ["redshift-serverless:CreateSnapshot"]
    resources = [resource["Fn::Sub"] for resource in statement.resources]
    assert [resource.rsplit(":", 1)[1] for resource in resources] == ["namespace/*", "snapshot/*"]
    assert all(SCOPED_ARN.match(resource) for resource in resources)


def test_iam_every_resource_is_scoped_to_the_stack_account_or_region():
    # given
    template = _main()
    roles = resources_of_type(template, "AWS::IAM::Role")
    statements = [s for role in roles for s in role_statements(template, role) if s.allows]

    # when
    unscoped = [
        (statement.document, resource)
        for statement in statements
        for resource in statement.resources
        if not _is_scoped(statement, resource, template)
    ]

    # then
    assert unscoped == []


def _is_scoped(statement: Statement, resource: Any, template: dict[str, Any]) -> bool:
    """An ARN of this account and region, a resource of this stack, or the KMS key parameter
    under its condition; "*" only for actions IAM cannot scope, held to this region."""
    if resource == "*":
        condition = statement.body.get("Condition", {})
        return condition == {"StringEquals": {"aws:RequestedRegion": {"Ref": "AWS::Region"}}}
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        return bool(SCOPED_ARN.match(resource["Fn::Sub"]))
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return resource["Fn::GetAtt"][0] in template["Resources"]
    if resource == {"Ref": "DestinationKmsKeyArn"}:
        return statement.condition == "HasDestinationKmsKey"
    return False


def test_iam_kms_grants_exist_only_with_a_destination_key():
    # given
    template = _main()
    statements = [s for role in FUNCTIONS.values() for s in role_statements(template, role[0])]

    # when
    kms = [statement for statement in statements if set(statement.actions) & KMS_ACTIONS]

    # then
    assert kms
    assert {statement.condition for statement in kms} == {"HasDestinationKmsKey"}
    grants = [statement for statement in kms if "kms:CreateGrant" in statement.actions]
    assert all(
        statement.body["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
        for statement in grants
    )


def test_iam_crhelper_polling_may_only_target_its_own_function():
    # given
    statements = role_statements(_main(), "CustomResourceRole")

    # when
    (put_targets,) = [s for s in statements if "events:PutTargets" in s.actions]
    permissions = [s for s in statements if "lambda:AddPermission" in s.actions]

    # then
    assert put_targets.body["Condition"] == {
        "ArnEquals": {"events:TargetArn": {"Fn::GetAtt": ["CustomResourceFunction", "Arn"]}}
    }
    assert [s.resources for s in permissions] == [
        [{"Fn::GetAtt": ["CustomResourceFunction", "Arn"]}]
    ]


def test_iam_only_actions_without_a_resource_type_are_granted_on_any_resource():
    # given
    template = _main()
    roles = resources_of_type(template, "AWS::IAM::Role")
    statements = [s for role in roles for s in role_statements(template, role) if s.allows]

    # when
    on_any = {action for s in statements if "*" in s.resources for action in s.actions}

    # then
    assert on_any
    assert sorted(on_any - WITHOUT_RESOURCE_TYPE) == []
