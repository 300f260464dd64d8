"""Entry point of the event listener Lambda: handler(event, context).

Reads its configuration, classifies the event, acts, and returns a JSON-ready result. It never
raises: bad configuration, events it does not handle and AWS failures all end in a result with
a `status` and one log line saying why.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError

from custom_resource.aws import redshift_serverless_client
from custom_resource.errors import SnapshotScheduleError, SpecError
from event_listener.config import ListenerConfig
from event_listener.events import (
    Ignored,
    NamespaceCreated,
    NamespaceDeleted,
    SweepRequested,
    parse_event,
)
from event_listener.namespaces import clean_up_deleted_namespace, cover_new_namespace
from event_listener.sweep import sweep

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS"


class LambdaContext(Protocol):
    """The part of the Lambda context the listener reads."""

    aws_request_id: str

    def get_remaining_time_in_millis(self) -> int: ...


def handler(event: object, context: LambdaContext) -> dict[str, Any]:
    """Handle one event: CloudTrail Create/DeleteNamespace, a scheduled event or `{}` (sweep).

    Returns a result whose `status` is `ok`, `ignored`, `failed` or `error` (configuration).
    """
    started = time.monotonic()

    try:
        config = ListenerConfig.from_environ(os.environ)
    except SpecError as exc:
        logger.error("The listener's configuration is invalid: %s", exc)
        return {"status": "error", "error": f"invalid configuration: {exc}"}
    config.apply_log_level()

    parsed = parse_event(event)
    if isinstance(parsed, Ignored):
        log = logger.warning if parsed.kind == "malformed" else logger.info
        log("Event ignored: %s", parsed.reason, extra={"event_kind": parsed.kind})
        return {"status": "ignored", "kind": parsed.kind, "reason": parsed.reason}

    remaining = context.get_remaining_time_in_millis() / 1000.0
    deadline = started + remaining - config.deadline_margin_seconds

    try:
        return {"status": "ok"} | _act(parsed, config, deadline)
    except (SnapshotScheduleError, BotoCoreError) as exc:
        logger.error("Event not handled: %s", exc, extra=_extra(parsed))
        return {"status": "failed", "error": str(exc)} | _describe(parsed)
    except Exception as exc:
        # The outermost layer: a bug must still end in a clean result and one log line.
        logger.exception("Unexpected error while handling the event", extra=_extra(parsed))
        return {"status": "failed", "error": f"unexpected error: {type(exc).__name__}"} | _describe(
            parsed
        )


def _act(
    parsed: NamespaceCreated | NamespaceDeleted | SweepRequested,
    config: ListenerConfig,
    deadline: float,
) -> dict[str, Any]:
    client = cached_client(
        os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        os.environ.get(ENDPOINT_VARIABLE),
    )

    if isinstance(parsed, NamespaceCreated):
        return cover_new_namespace(client, parsed.namespace_name, config, deadline=deadline)
    if isinstance(parsed, NamespaceDeleted):
        return clean_up_deleted_namespace(client, parsed.namespace_name)

    options = replace(config.sweep, **parsed.options)
    result = sweep(
        client,
        config.defaults,
        options,
        opt_out_tag=config.opt_out_tag,
        concurrency=config.sweep_concurrency,
        deadline=deadline,
    )
    return result | {"trigger": parsed.trigger}


@functools.lru_cache(maxsize=4)
def cached_client(region: str | None, endpoint_url: str | None) -> RedshiftServerlessClient:
    """One client per region and endpoint, reused by warm invocations (building one costs
    hundreds of milliseconds). Its retry quota carries over too, which is wanted: a throttled
    account stays throttled. `cached_client.cache_clear()` starts afresh."""
    return redshift_serverless_client(region, endpoint_url=endpoint_url)


def _describe(parsed: NamespaceCreated | NamespaceDeleted | SweepRequested) -> dict[str, Any]:
    if isinstance(parsed, NamespaceCreated):
        return {"event": "CreateNamespace", "namespace_name": parsed.namespace_name}
    if isinstance(parsed, NamespaceDeleted):
        return {"event": "DeleteNamespace", "namespace_name": parsed.namespace_name}
    return {"event": "sweep", "trigger": parsed.trigger}


def _extra(parsed: NamespaceCreated | NamespaceDeleted | SweepRequested) -> dict[str, Any]:
    described = _describe(parsed)
    return {key: value for key, value in described.items() if key != "event"} | {
        "action": described["event"]
    }
