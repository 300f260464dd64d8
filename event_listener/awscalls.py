"""AWS calls the listener shares: ClientError turned into AwsError, listing a namespace's
scheduled actions, and reading a namespace's status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from custom_resource.aws import iter_scheduled_action_refs
from custom_resource.errors import AwsError

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

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


def scheduled_action_names(client: RedshiftServerlessClient, namespace_name: str) -> list[str]:
    """The names of the namespace's scheduled actions, whoever made them; also once it is gone."""
    try:
        refs = list(iter_scheduled_action_refs(client, namespace_name))
    except AwsError as exc:
        if exc.code != NOT_FOUND:
            raise
        # The service refuses to list by a namespace that is gone: list the whole region.
        # NOTE: with the older list shape (names only) this finds only the derived name.
        refs = [
            ref
            for ref in iter_scheduled_action_refs(client)
            if ref.namespace_name == namespace_name
        ]
    return [ref.scheduled_action_name for ref in refs]


def namespace_status(client: RedshiftServerlessClient, namespace_name: str) -> str | None:
    """The namespace's status as GetNamespace tells it now; None when it does not exist.

    Raises AwsError for any other failure.
    """
    try:
        response = client.get_namespace(namespaceName=namespace_name)
    except ClientError as exc:
        if error_code(exc) == NOT_FOUND:
            return None
        raise wrap_client_error(exc, "GetNamespace", f"namespace {namespace_name!r}") from exc
    return str(response["namespace"].get("status"))
