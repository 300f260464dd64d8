"""Which failures become one line for the operator, and what that line says."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError

from custom_resource.errors import AwsError
from snapshot_schedule_cli.problems import explain


def _client_error(code: str, message: str, operation: str = "ListNamespaces") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def test_explain_rejected_credentials_says_to_renew_them() -> None:
    # given AWS rejecting the key
    error = _client_error("UnrecognizedClientException", "The security token is invalid.")

    # when explained
    message = explain(error)

    # then the code and message are named with the fix
    assert message == (
        "AWS rejected the credentials (UnrecognizedClientException: The security token is "
        "invalid.). Fix: renew them, or pass --profile with valid ones."
    )


def test_explain_finds_access_denied_behind_a_core_error() -> None:
    # given the core's AwsError raised from an AccessDeniedException
    cause = _client_error("AccessDeniedException", "not authorized", "CreateScheduledAction")
    try:
        try:
            raise cause
        except ClientError as exc:
            raise AwsError(
                "CreateScheduledAction failed",
                code="AccessDeniedException",
                operation="CreateScheduledAction",
            ) from exc
    except AwsError as wrapped:
        error = wrapped

    # when explained
    message = explain(error)

    # then the denied permission is named
    assert message is not None
    assert message.startswith("Access denied to redshift-serverless:CreateScheduledAction")
    assert "Fix: grant redshift-serverless:CreateScheduledAction" in message


def test_explain_unreachable_endpoint_names_it() -> None:
    # given an endpoint nobody answers on
    error = EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    # when explained
    message = explain(error)

    # then the URL and the fix are named
    assert message == (
        "Cannot reach http://127.0.0.1:9. Fix: check the region and --endpoint-url, and that "
        "this machine can reach the endpoint."
    )


def test_explain_other_service_answers_name_operation_code_and_message() -> None:
    # given throttling that outlasted the client's retries
    throttled = _client_error("ThrottlingException", "Rate exceeded", "ListSnapshots")

    # when explained
    message = explain(throttled)

    # then the line names what failed and what to do
    assert message == (
        "redshift-serverless:ListSnapshots failed: ThrottlingException: Rate exceeded. "
        "Fix: retry later; if it persists, check the service's health in the region."
    )


def test_explain_leaves_bugs_alone() -> None:
    # given a plain bug
    bug = KeyError("namespaceName")

    # when explained
    # then it does not become a one-line operator error (it keeps its traceback)
    assert explain(bug) is None
