"""Turn the failures an operator can fix into one line that says what went wrong and the fix."""

from __future__ import annotations

from collections.abc import Iterator

import click
from botocore import exceptions as botocore_exceptions

EXIT_OPERATOR_ERROR = 2

ACCESS_DENIED_CODES = frozenset(
    {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"}
)
BAD_CREDENTIALS_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)


class OperatorError(click.ClickException):
    """A failure the operator can fix; printed as one line, exit code 2, never a traceback."""

    exit_code = EXIT_OPERATOR_ERROR


def explain(exc: BaseException) -> str | None:
    """One line naming the failure and its fix, or None when `exc` is a bug (not AWS's answer).

    Walks the `raise … from` chain, so a botocore error wrapped by the core is found too.
    """
    causes = list(_causes(exc))
    for cause in causes:
        message = _explain_one(cause)
        if message is not None:
            return message

    # Any other answer of the service (throttling that outlasted the retries, an outage).
    for cause in causes:
        if isinstance(cause, botocore_exceptions.ClientError):
            error = cause.response.get("Error", {})
            return (
                f"redshift-serverless:{cause.operation_name} failed: {error.get('Code', '')}: "
                f"{error.get('Message', '')}. Fix: retry later; if it persists, check the "
                "service's health in the region."
            )
    return None


def _explain_one(exc: BaseException) -> str | None:
    if isinstance(exc, botocore_exceptions.ProfileNotFound):
        profile = exc.kwargs.get("profile", "")
        return (
            f"AWS profile '{profile}' is not configured. Fix: run `aws configure --profile "
            f"{profile}` or pass an existing profile with --profile."
        )

    if isinstance(
        exc, botocore_exceptions.NoCredentialsError | botocore_exceptions.PartialCredentialsError
    ):
        return (
            "No AWS credentials found. Fix: pass --profile, set AWS_PROFILE, or set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (`aws configure` writes a profile)."
        )

    if isinstance(
        exc,
        botocore_exceptions.TokenRetrievalError
        | botocore_exceptions.SSOError
        | botocore_exceptions.CredentialRetrievalError,
    ):
        return (
            "The AWS credentials of this profile could not be refreshed "
            f"({exc}). Fix: run `aws sso login` (or renew the credentials) and try again."
        )

    if isinstance(exc, botocore_exceptions.NoRegionError):
        return "No AWS region given. Fix: pass --region (repeatable) or set AWS_DEFAULT_REGION."

    if isinstance(exc, botocore_exceptions.EndpointConnectionError):
        endpoint_url = exc.kwargs.get("endpoint_url", "")
        return (
            f"Cannot reach {endpoint_url}. Fix: check the region and --endpoint-url, and that "
            "this machine can reach the endpoint."
        )

    if isinstance(exc, botocore_exceptions.ClientError):
        return _explain_client_error(exc)

    return None


def _explain_client_error(exc: botocore_exceptions.ClientError) -> str | None:
    error = exc.response.get("Error", {})
    code = error.get("Code", "")
    message = error.get("Message", "")
    operation = exc.operation_name

    if code in ACCESS_DENIED_CODES:
        return (
            f"Access denied to redshift-serverless:{operation} ({message}). Fix: grant "
            f"redshift-serverless:{operation} to these credentials, or pass --profile with a "
            "role that has it."
        )

    if code in BAD_CREDENTIALS_CODES:
        return (
            f"AWS rejected the credentials ({code}: {message}). Fix: renew them, or pass "
            "--profile with valid ones."
        )

    return None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
