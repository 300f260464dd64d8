"""Problems the operator must fix are one line with the fix, exit code 2, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result


def _assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_status_without_credentials_says_how_to_provide_them(
    run_cli: Callable[..., Result], endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given no credentials anywhere (and no instance metadata to fall back on)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    # when the status is asked for
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", endpoint)

    # then one line names the problem and the fix
    _assert_one_line_error(result, "Error: No AWS credentials found.", "Fix: pass --profile")


def test_status_unknown_region_names_the_region_and_the_known_ones(
    run_cli: Callable[..., Result], endpoint: str
) -> None:
    # given a region name that does not exist

    # when the status is asked for in it
    result = run_cli("status", "--region", "eu-west-1", "--region", "mars-north-1")

    # then the region is named with the accepted ones
    _assert_one_line_error(
        result,
        "Unknown region 'mars-north-1' for Redshift Serverless.",
        "Fix: pass --region with one of",
        "eu-west-1",
    )


def test_status_without_any_region_asks_for_one(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given neither --region nor a default region
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    # when the status is asked for
    result = run_cli("status")

    # then the fix is to pass one
    _assert_one_line_error(result, "No AWS region given.", "Fix: pass --region")


def test_status_unknown_profile_says_how_to_configure_it(run_cli: Callable[..., Result]) -> None:
    # given a profile that is not configured (the config files are empty in tests)

    # when the status is asked for with it
    result = run_cli("status", "--profile", "auditor", "--region", "eu-west-1")

    # then the profile is named with the fix
    _assert_one_line_error(
        result, "AWS profile 'auditor' is not configured.", "aws configure --profile auditor"
    )


def test_status_access_denied_names_the_permission_to_grant(
    run_cli: Callable[..., Result], denying_endpoint: str
) -> None:
    # given an endpoint that denies every call, as IAM does without a policy

    # when the status is asked for
    result = run_cli("status", "--region", "eu-west-1", "--endpoint-url", denying_endpoint)

    # then the denied permission is named, with the fix
    _assert_one_line_error(
        result,
        "Access denied to redshift-serverless:ListWorkgroups",
        "not authorized to perform",
        "Fix: grant redshift-serverless:ListWorkgroups",
    )


def test_sweep_access_denied_is_one_line_too(
    run_cli: Callable[..., Result], denying_endpoint: str
) -> None:
    # given an endpoint that denies every call

    # when a sweep is attempted
    result = run_cli("sweep", "--region", "eu-west-1", "--endpoint-url", denying_endpoint)

    # then it stops before doing anything, with one line
    _assert_one_line_error(result, "Access denied to redshift-serverless:ListNamespaces")


def test_sweep_without_role_names_the_flag_and_the_variable(
    run_cli: Callable[..., Result], seed: Callable[..., object], fresh_endpoint: str
) -> None:
    # given a namespace to cover but no ROLE_ARN anywhere
    seed("eu-west-1").create_namespace(namespaceName="uncovered")  # type: ignore[attr-defined]

    # when a sweep runs
    result = run_cli(
        "sweep",
        "--region",
        "eu-west-1",
        "--endpoint-url",
        fresh_endpoint,
        "--destination-region",
        "none",
        env={"ROLE_ARN": None},
    )

    # then the message names the setting, the flag and the variable
    _assert_one_line_error(result, "ROLE_ARN must be", "Fix: pass --role-arn or set ROLE_ARN.")


def test_output_rejects_an_unknown_format(run_cli: Callable[..., Result]) -> None:
    # given a format the command does not know

    # when it is asked for
    result = run_cli("status", "--output", "yaml")

    # then click names the accepted values
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'json'" in result.output
