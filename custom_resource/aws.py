"""The Redshift Serverless client, pagination over both list shapes, and AWS error wrapping."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from custom_resource.errors import AwsError

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS"
MAX_ATTEMPTS = 8
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30
PAGE_SIZE = 100

# NOTE: the wording of the service's refusal of a fresh role is unverified; only this phrase is
# recognised, so a differently worded refusal fails at once instead of being retried.
_ROLE_REJECTED = "cannot assume the IAM role"


@dataclass(frozen=True)
class ScheduledActionRef:
    """One entry of ListScheduledActions; namespace_name is None when the old shape hid it."""

    namespace_name: str | None
    scheduled_action_name: str


def redshift_serverless_client(
    region: str | None = None,
    *,
    endpoint_url: str | None = None,
    session: boto3.Session | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> RedshiftServerlessClient:
    """A Redshift Serverless client with standard retries and bounded timeouts.

    ``endpoint_url`` defaults to AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS when set, so tests and
    users can point the tool at any endpoint; ``region`` defaults to the session's region.
    """
    # Standard, not adaptive, retries: adaptive mode measures its send rate from zero, so a
    # throttle in a client's first half second paces it down to one call every 2 s for seconds.
    config = Config(
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        user_agent_extra="serverless-snapshot-schedule",
    )
    endpoint = endpoint_url or os.environ.get(ENDPOINT_VARIABLE) or None
    client = (session or boto3.session.Session()).client(
        "redshift-serverless", region_name=region, endpoint_url=endpoint, config=config
    )
    client.meta.events.register(
        "before-parse.redshift-serverless.ListScheduledActions", _objects_from_plain_names
    )
    return client


def iter_namespaces(client: RedshiftServerlessClient) -> Iterator[dict[str, Any]]:
    """Every namespace in the client's region, page by page; raises AwsError."""
    for page in _pages(client, "ListNamespaces", {}):
        yield from page.get("namespaces", [])


def iter_scheduled_action_refs(
    client: RedshiftServerlessClient, namespace_name: str | None = None
) -> Iterator[ScheduledActionRef]:
    """Scheduled actions, optionally of one namespace; raises AwsError.

    Accepts both response shapes: objects ``{namespaceName, scheduledActionName}`` and the
    plain names older service models returned.
    """
    request = {"namespaceName": namespace_name} if namespace_name else {}
    for page in _pages(client, "ListScheduledActions", request):
        for entry in page.get("scheduledActions", []):
            if isinstance(entry, str):
                yield ScheduledActionRef(namespace_name, entry)
            else:
                yield ScheduledActionRef(
                    entry.get("namespaceName") or namespace_name, entry["scheduledActionName"]
                )


def iter_snapshot_copy_configurations(
    client: RedshiftServerlessClient, namespace_name: str | None = None
) -> Iterator[dict[str, Any]]:
    """Snapshot copy configurations, optionally of one namespace; raises AwsError."""
    request = {"namespaceName": namespace_name} if namespace_name else {}
    for page in _pages(client, "ListSnapshotCopyConfigurations", request):
        yield from page.get("snapshotCopyConfigurations", [])


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def error_message(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Message", ""))


def is_role_not_yet_assumable(exc: ClientError) -> bool:
    """The scheduler refused a role it cannot assume, which a fresh role does for a while."""
    return error_code(exc) == "ValidationException" and _ROLE_REJECTED in error_message(exc)


def wrap_client_error(exc: ClientError, operation: str, subject: str) -> AwsError:
    """An AwsError whose message says what failed, on what, and what to do about it."""
    code = error_code(exc) or "Unknown"
    detail = error_message(exc) or str(exc)
    hint = _HINTS.get(code, "").format(operation=operation)
    message = f"{operation} failed for {subject}: {code}: {detail}"
    return AwsError(f"{message}. {hint}" if hint else message, code=code, operation=operation)


_HINTS = {
    "AccessDeniedException": (
        "Grant redshift-serverless:{operation} (and iam:PassRole on the scheduler role) "
        "to the function's execution role"
    ),
    "ThrottlingException": "Still throttled after retries; try again later",
    "ServiceQuotaExceededException": "Raise the service quota or remove unused objects",
    "InternalServerException": "The service failed; retrying the operation usually succeeds",
}


def _objects_from_plain_names(response_dict: dict[str, Any], **_: Any) -> None:
    """Rewrite a ListScheduledActions body of plain names (the older service shape) as objects,
    so a botocore whose model expects objects can parse it."""
    body = response_dict.get("body")
    if not body or int(response_dict.get("status_code", 200)) >= 300:
        return
    try:
        document = json.loads(body)
    except ValueError:
        return
    entries = document.get("scheduledActions") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not any(isinstance(entry, str) for entry in entries):
        return
    document["scheduledActions"] = [
        {"scheduledActionName": entry} if isinstance(entry, str) else entry for entry in entries
    ]
    response_dict["body"] = json.dumps(document).encode()


def _pages(
    client: RedshiftServerlessClient, operation: str, request: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    method = getattr(client, _snake(operation))
    token: str | None = None
    while True:
        arguments = dict(request, maxResults=PAGE_SIZE)
        if token:
            arguments["nextToken"] = token
        try:
            page: dict[str, Any] = method(**arguments)
        except ClientError as exc:
            raise wrap_client_error(exc, operation, _subject(request)) from exc
        yield page
        token = page.get("nextToken")
        if not token:
            return


def _subject(request: dict[str, Any]) -> str:
    name = request.get("namespaceName")
    return f"namespace {name!r}" if name else "the region"


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
