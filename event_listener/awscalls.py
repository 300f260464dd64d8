"""Turning botocore's ClientError into the project's AwsError for the calls the listener makes."""

from __future__ import annotations

from botocore.exceptions import ClientError

from custom_resource.errors import AwsError

NOT_FOUND = "ResourceNotFoundException"


def error_code(exc: ClientError) -> str:
    """The AWS error code of a ClientError ("" when the response has none)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def wrap_client_error(exc: ClientError, operation: str, subject: str) -> AwsError:
    """An AwsError naming the operation, its subject, the AWS code and message."""
    code = error_code(exc) or "Unknown"
    message = exc.response.get("Error", {}).get("Message") or str(exc)
    return AwsError(
        f"{operation} failed for {subject}: {code}: {message}", code=code, operation=operation
    )
