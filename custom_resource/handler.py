"""CloudFormation entry point of Custom::ServerlessSnapshotSchedule, built on crhelper.

Create and Update validate the properties, wait (within the Lambda's remaining time) until the
namespace is AVAILABLE, and ensure its schedule; when the namespace needs longer they hand over
to crhelper's polling, which gives up with a clear FAILED after POLL_TIMEOUT_SECONDS. The
physical id is the scheduled action's name, so changing NamespaceName or ScheduledActionName is
a replacement; one that fails removes the action it created. A rollback to a namespace deleted
by hand succeeds without writing, so the stack can finish rolling back. Delete removes only what
this stack's resource owns and accepts ids it never made.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from crhelper import CfnResource

from custom_resource.aws import (
    error_code,
    iter_snapshot_copy_configurations,
    redshift_serverless_client,
    wrap_client_error,
)
from custom_resource.errors import (
    NamespaceNotFound,
    NamespaceNotReady,
    SnapshotScheduleError,
    SpecError,
)
from custom_resource.properties import namespace_name_of, spec_from_properties
from custom_resource.reconcile import (
    KnownState,
    ensure_schedule,
    remove_schedule,
    restore_scheduled_action,
    wait_until_available,
)
from custom_resource.spec import (
    LISTENER_OWNER,
    SCHEDULED_ACTION_NAME,
    Defaults,
    Owner,
    ScheduleSpec,
    parse_marker,
)

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

logger = logging.getLogger(__name__)

# Time kept back from the Lambda deadline for ensuring the schedule and sending the response.
ANSWER_RESERVE_SECONDS = 5.0
# Time kept back for sending the response once the work is done (crhelper's own timer fires at
# 0.5 s).
RESPONSE_SECONDS = 1.0
POLL_INTERVAL_MINUTES = 1
DEFAULT_POLL_TIMEOUT_SECONDS = 1800.0
DEFAULT_WAIT_INTERVAL_SECONDS = 10.0
# EventBridge refuses a target whose Input is longer; crhelper puts the whole request there.
EVENTBRIDGE_INPUT_LIMIT = 8192
# crhelper names the polling rule <LogicalResourceId> + 8 characters; rule names allow 64.
POLLING_LOGICAL_ID_LIMIT = 56
RESPONSE_REASON_LIMIT = 250
# The stack's status while CloudFormation sends the Updates that roll a failed update back.
ROLLBACK_STATUS = "UPDATE_ROLLBACK_IN_PROGRESS"
STACK_STATUS_ATTEMPTS = 3
STACK_STATUS_TIMEOUT_SECONDS = 5

_GIVE_UP_AT = "PollingGivesUpAt"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Stand-ins as long as the longest values crhelper adds to a request before it polls.
_POLLING_KEYS_ALLOWANCE = {
    "CrHelperPoll": True,
    "CrHelperRule": "arn:aws-iso-b:events:xx-xxxxxxxxx-1:123456789012:rule/" + "X" * 64,
    "CrHelperPermission": "X" * 100,
}


class LambdaContext(Protocol):
    """What the handler reads from the Lambda context."""

    function_name: str
    aws_request_id: str

    def get_remaining_time_in_millis(self) -> int: ...


Event = dict[str, Any]
RequestFunction = Callable[[Event, LambdaContext], "str | None"]


def handler(event: Event, context: LambdaContext) -> None:
    """Answer one CloudFormation request (or one polling invocation) through crhelper.

    Every request gets exactly one response before the Lambda deadline, unless it is handed
    over to polling, in which case a later polling invocation answers.
    """
    helper = _helper(_log_level(os.environ.get("LOG_LEVEL", "")), os.environ.get("AWS_REGION"))
    resource = _SnapshotScheduleResource(helper)
    helper.create(_answering(resource.create))
    helper.update(_answering(resource.update))
    helper.delete(_answering(resource.delete))
    # Polling is switched on per request, only when a Create or Update needs it; the helper
    # outlives requests, so switch it off first (crhelper only stores what it is given).
    helper.poll_create(None)  # type: ignore[arg-type]
    helper.poll_update(None)  # type: ignore[arg-type]
    if event.get("CrHelperPoll"):
        resource.enable_polling()

    helper(event, context)


@functools.lru_cache(maxsize=4)
def _helper(log_level: str, region: str | None) -> CfnResource:
    """One CfnResource per warm container (it creates three AWS clients when built)."""
    helper = CfnResource(
        json_logging=False,
        log_level=log_level,
        boto_level="WARNING",
        polling_interval=POLL_INTERVAL_MINUTES,
        sleep_on_delete=0,
    )
    # crhelper logs whole requests, ResponseURL included, at DEBUG: never let it.
    level = logging.getLevelName(log_level)
    logging.getLogger("crhelper").setLevel(
        max(logging.INFO, level if isinstance(level, int) else 0)
    )
    return helper


@functools.lru_cache(maxsize=1)
def _session() -> boto3.session.Session:
    """One boto3 session per warm container, so clients reuse its loaded service models."""
    return boto3.session.Session()


@dataclass(frozen=True)
class _Request:
    """The parts of a request every step needs."""

    request_type: str
    logical_id: str
    stack_name: str
    region: str | None
    physical_id: str = ""
    stack_id: str = ""

    @classmethod
    def of(cls, event: Event) -> _Request:
        stack_id = str(event["StackId"])
        return cls(
            request_type=str(event["RequestType"]),
            logical_id=str(event["LogicalResourceId"]),
            stack_name=stack_id.split("/")[1] if "/" in stack_id else stack_id,
            region=os.environ.get("AWS_REGION") or None,
            physical_id=str(event.get("PhysicalResourceId") or ""),
            stack_id=stack_id,
        )

    @property
    def owner(self) -> Owner:
        return Owner.stack(self.stack_name, self.logical_id)

    def replaces(self, spec: ScheduleSpec) -> bool:
        """True for an Update that moves the resource to another scheduled action."""
        return self.request_type == "Update" and self.physical_id != spec.scheduled_action_name

    def log_extra(self, **more: object) -> dict[str, object]:
        return {"request_type": self.request_type, "logical_resource_id": self.logical_id, **more}


class _SnapshotScheduleResource:
    """The crhelper functions of one invocation; they share the invocation's CfnResource."""

    def __init__(self, helper: CfnResource) -> None:
        self.helper = helper

    def enable_polling(self) -> None:
        """Register the polling function: crhelper then polls instead of answering at once."""
        self.helper.poll_create(_answering(self.poll))
        self.helper.poll_update(_answering(self.poll))

    def create(self, event: Event, context: LambdaContext) -> str | None:
        """Create: validate, wait for the namespace (or start polling), ensure the schedule."""
        return self._converge(event, context)

    def update(self, event: Event, context: LambdaContext) -> str | None:
        """Update in place, or replace when the scheduled action's name changes: the old
        objects are left for CloudFormation's cleanup Delete (a copy configuration the new
        action names too is kept)."""
        return self._converge(event, context)

    def poll(self, event: Event, context: LambdaContext) -> str | None:
        """One polling invocation of a Create or Update: None keeps polling, an id answers."""
        request = _Request.of(event)
        spec = self._spec(event, request)
        client = redshift_serverless_client(request.region, session=_session())

        try:
            wait_until_available(client, spec.namespace_name, attempts=1, interval=0.0)
        except NamespaceNotReady as exc:
            self._keep_polling(event, request, spec, exc)
            return None

        return self._ensure(client, spec, request, event, context)

    def delete(self, event: Event, context: LambdaContext) -> None:
        """Remove what this resource owns; idempotent. An id that is not a scheduled action
        name (crhelper's id after a failed Create) or a namespace already gone is success."""
        request = _Request.of(event)
        physical_id = str(event.get("PhysicalResourceId", ""))
        if not SCHEDULED_ACTION_NAME.match(physical_id):
            logger.info(
                "Nothing to delete: %s is not a scheduled action name",
                physical_id,
                extra=request.log_extra(physical_resource_id=physical_id),
            )
            return None

        try:
            namespace_name = namespace_name_of(event.get("ResourceProperties") or {})
        except SpecError:
            logger.info(
                "Nothing to delete: the properties name no namespace",
                extra=request.log_extra(physical_resource_id=physical_id),
            )
            return None

        client = redshift_serverless_client(request.region, session=_session())
        result = remove_schedule(client, namespace_name, physical_id, owner=request.owner)
        if result.scheduled_action == "kept" and result.owner == request.owner.value:
            # Ours but on another namespace than the properties say (a failed rollback can
            # leave the stack so): the id names this resource's action wherever it is.
            namespace_name = _namespace_of_action(client, physical_id) or namespace_name
            result = remove_schedule(client, namespace_name, physical_id, owner=request.owner)
        logger.info(
            "Delete of the schedule of namespace %s: scheduled action %s, copy configuration %s",
            namespace_name,
            result.scheduled_action,
            result.snapshot_copy_configuration,
            extra=request.log_extra(
                namespace_name=namespace_name,
                scheduled_action=physical_id,
                action=result.scheduled_action,
            ),
        )
        return None

    def _converge(self, event: Event, context: LambdaContext) -> str | None:
        request = _Request.of(event)
        spec = self._spec(event, request)
        client = redshift_serverless_client(request.region, session=_session())
        logger.info(
            "%s of the schedule of namespace %s",
            request.request_type,
            spec.namespace_name,
            extra=request.log_extra(
                namespace_name=spec.namespace_name, scheduled_action=spec.scheduled_action_name
            ),
        )

        try:
            available = _became_available(client, spec.namespace_name, context)
        except NamespaceNotFound:
            if not _rolls_back_to_a_deleted_namespace(client, spec, request):
                raise
            return self._keep_deleted_namespace(spec, request)

        if not available:
            return self._start_polling(event, request, spec)

        return self._ensure(client, spec, request, event, context)

    def _keep_deleted_namespace(self, spec: ScheduleSpec, request: _Request) -> str:
        """Answer a rollback to a namespace deleted by hand with the action it had, writing
        nothing: CloudFormation's cleanup then deletes the replacement, and the stack's Delete
        the old action if it is still there."""
        logger.warning(
            "Rollback to namespace %s, which no longer exists: nothing is written; its scheduled "
            "action %s, if still there, is left for the stack's Delete",
            spec.namespace_name,
            spec.scheduled_action_name,
            extra=request.log_extra(
                namespace_name=spec.namespace_name,
                scheduled_action=spec.scheduled_action_name,
                action="kept",
            ),
        )
        self.helper.Data = {
            "ScheduledActionName": spec.scheduled_action_name,
            "SnapshotCopyConfigurationId": "",
            "NextInvocations": "",
            "DestinationRegion": spec.destination_region or "",
        }
        return spec.scheduled_action_name

    def _spec(self, event: Event, request: _Request) -> ScheduleSpec:
        defaults = Defaults.from_environ(os.environ)
        return spec_from_properties(
            event.get("ResourceProperties") or {}, defaults, request.owner, region=request.region
        )

    def _ensure(
        self,
        client: RedshiftServerlessClient,
        spec: ScheduleSpec,
        request: _Request,
        event: Event,
        context: LambdaContext,
    ) -> str | None:
        """Ensure the schedule and fill Data, within the invocation's time.

        A Create that fails answers with the action's name when there was no action before it
        (or this resource's own), so the rollback Delete removes what it created; otherwise with
        crhelper's id, and an action it took over from the listener is given back as it was. A
        replacement Update that fails removes the new action it created (CloudFormation rolls
        back to the old id and never deletes the new one). An action that existed before the
        request is never removed.
        """
        # NOTE: an action another writer creates between this read and ensure_schedule's is
        # taken over by it and, should the request then fail, removed with what it created.
        previous: dict[str, Any] | None = None
        known: KnownState | None = None
        if request.request_type == "Create" or request.replaces(spec):
            previous = _scheduled_action(client, spec.scheduled_action_name)
            known = KnownState(previous, _copy_configurations(client, spec.namespace_name))
        creates_action = known is not None and previous is None
        previous_owner = _owner_of(previous)

        # crhelper answers a timeout with the id set now: one the rollback can act on.
        if request.request_type != "Create":
            self.helper.PhysicalResourceId = request.physical_id
        elif previous is None or previous_owner == request.owner.value:
            self.helper.PhysicalResourceId = spec.scheduled_action_name
        else:
            self.helper.PhysicalResourceId = self.helper.generate_physical_id(event)

        try:
            result = ensure_schedule(client, spec, known=known, deadline=_deadline(context))
        except SnapshotScheduleError as exc:
            if creates_action and request.replaces(spec):
                _remove_failed_replacement(client, spec, request, exc)
            elif previous is not None and previous_owner == LISTENER_OWNER:
                _give_back(client, previous, request)
            raise

        logger.info(
            "Scheduled action %s %s, snapshot copy configuration %s",
            result.scheduled_action_name,
            result.scheduled_action,
            result.snapshot_copy_configuration,
            extra=request.log_extra(
                namespace_name=spec.namespace_name,
                scheduled_action=result.scheduled_action_name,
                action=result.scheduled_action,
            ),
        )
        # NOTE: NextInvocations is as of this request; nothing refreshes it later.
        self.helper.Data = {
            "ScheduledActionName": result.scheduled_action_name,
            "SnapshotCopyConfigurationId": result.snapshot_copy_configuration_id or "",
            "NextInvocations": ",".join(_iso(moment) for moment in result.next_invocations[:3]),
            "DestinationRegion": spec.destination_region or "",
        }
        return result.scheduled_action_name

    def _start_polling(self, event: Event, request: _Request, spec: ScheduleSpec) -> str:
        """Hand the request over to crhelper's polling; raises SnapshotScheduleError when
        EventBridge could not carry it."""
        # NOTE: crhelper keeps the whole request, pre-signed ResponseURL included, in the
        # EventBridge target while it polls, and names the rule after the logical id.
        if len(request.logical_id) > POLLING_LOGICAL_ID_LIMIT:
            raise SnapshotScheduleError(
                f"Namespace {spec.namespace_name!r} is not AVAILABLE yet and polling needs a "
                f"LogicalResourceId of at most {POLLING_LOGICAL_ID_LIMIT} characters"
            )

        give_up_at = time.time() + _poll_timeout_seconds()
        # Whole seconds, rounded down: rounding up could keep a zero timeout polling.
        self.helper.Data[_GIVE_UP_AT] = str(int(give_up_at))
        size = polling_input_size(event, self.helper.Data, spec.scheduled_action_name)
        if size > EVENTBRIDGE_INPUT_LIMIT:
            raise SnapshotScheduleError(
                f"Namespace {spec.namespace_name!r} is not AVAILABLE yet and the request is too "
                f"large to poll ({size} > {EVENTBRIDGE_INPUT_LIMIT} characters): shorten "
                "the properties"
            )

        logger.info(
            "Namespace %s is not AVAILABLE yet: polling every %s minute(s)",
            spec.namespace_name,
            POLL_INTERVAL_MINUTES,
            extra=request.log_extra(namespace_name=spec.namespace_name),
        )
        self.enable_polling()
        return spec.scheduled_action_name

    def _keep_polling(
        self, event: Event, request: _Request, spec: ScheduleSpec, exc: NamespaceNotReady
    ) -> None:
        data = event.get("CrHelperData") or {}
        give_up_at = float(data.get(_GIVE_UP_AT, "0"))
        if time.time() < give_up_at:
            logger.info(
                "Namespace %s is still %s",
                spec.namespace_name,
                exc.status,
                extra=request.log_extra(namespace_name=spec.namespace_name),
            )
            return None

        raise SnapshotScheduleError(
            f"Gave up: namespace {spec.namespace_name!r} is still {exc.status or 'not AVAILABLE'} "
            f"after {_poll_timeout_seconds():.0f} s of polling"
        ) from exc


def _rolls_back_to_a_deleted_namespace(
    client: RedshiftServerlessClient, spec: ScheduleSpec, request: _Request
) -> bool:
    """True when an Update to a missing namespace is CloudFormation rolling back to it
    (requests do not say so). Raises AwsError.

    Either the stack says it is rolling back an update, or, when its status cannot be read, the
    Update is a replacement and the scheduled action the spec names is still on that namespace,
    owned by this resource: only a resource that was on the namespace before owns it.
    """
    if request.request_type != "Update":
        return False
    status = _stack_status(request)
    if status is not None:
        return status == ROLLBACK_STATUS
    if not request.replaces(spec):
        return False

    remote = _scheduled_action(client, spec.scheduled_action_name)
    if remote is None or remote.get("namespaceName") != spec.namespace_name:
        return False
    marker = parse_marker(remote.get("scheduledActionDescription"))
    return marker is not None and marker.owner == request.owner.value


def _stack_status(request: _Request) -> str | None:
    """The status of the request's stack, None when it cannot be read (a permissions boundary
    may deny it): the caller then decides without it."""
    config = Config(
        retries={"mode": "standard", "total_max_attempts": STACK_STATUS_ATTEMPTS},
        connect_timeout=STACK_STATUS_TIMEOUT_SECONDS,
        read_timeout=STACK_STATUS_TIMEOUT_SECONDS,
    )
    cloudformation: CloudFormationClient = _session().client(
        "cloudformation", region_name=request.region, config=config
    )
    try:
        stacks = cloudformation.describe_stacks(StackName=request.stack_id)["Stacks"]
    except (BotoCoreError, ClientError) as exc:
        logger.warning(
            "Could not read the status of stack %s: %s",
            request.stack_name,
            exc,
            extra=request.log_extra(),
        )
        return None
    return str(stacks[0]["StackStatus"]) if stacks else None


def _remove_failed_replacement(
    client: RedshiftServerlessClient,
    spec: ScheduleSpec,
    request: _Request,
    failure: SnapshotScheduleError,
) -> None:
    """Remove what a failed replacement Update created on its new target, if this resource
    owns it; a failure to remove is logged, never raised over the Update's own failure."""
    logger.error(
        "Replacement failed part-way: %s; removing what it created on namespace %s",
        failure,
        spec.namespace_name,
        extra=request.log_extra(
            namespace_name=spec.namespace_name, scheduled_action=spec.scheduled_action_name
        ),
    )
    try:
        result = remove_schedule(
            client, spec.namespace_name, spec.scheduled_action_name, owner=request.owner
        )
    except SnapshotScheduleError as exc:
        # NOTE: what stays is owned by this resource; retrying the update adopts it.
        logger.error(
            "Could not remove scheduled action %s of namespace %s: %s",
            spec.scheduled_action_name,
            spec.namespace_name,
            exc,
            extra=request.log_extra(
                namespace_name=spec.namespace_name, scheduled_action=spec.scheduled_action_name
            ),
        )
        return None

    logger.info(
        "Removed after the failed replacement: scheduled action %s %s, copy configuration %s",
        spec.scheduled_action_name,
        result.scheduled_action,
        result.snapshot_copy_configuration,
        extra=request.log_extra(
            namespace_name=spec.namespace_name,
            scheduled_action=spec.scheduled_action_name,
            action=result.scheduled_action,
        ),
    )
    return None


def _scheduled_action(client: RedshiftServerlessClient, name: str) -> dict[str, Any] | None:
    """The scheduled action called ``name``, or None when there is none. Raises AwsError."""
    try:
        response = client.get_scheduled_action(scheduledActionName=name)
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return None
        raise wrap_client_error(exc, "GetScheduledAction", f"scheduled action {name!r}") from exc
    return dict(response["scheduledAction"])


def _namespace_of_action(client: RedshiftServerlessClient, name: str) -> str | None:
    """The namespace the scheduled action called ``name`` serves, None when it is gone."""
    remote = _scheduled_action(client, name)
    return str(remote["namespaceName"]) if remote and remote.get("namespaceName") else None


def _owner_of(remote: Mapping[str, Any] | None) -> str | None:
    """The owner a scheduled action's marker names; None for none or a foreign action."""
    marker = parse_marker(remote.get("scheduledActionDescription")) if remote else None
    return marker.owner if marker else None


def _copy_configurations(
    client: RedshiftServerlessClient, namespace_name: str
) -> tuple[dict[str, Any], ...]:
    """The namespace's snapshot copy configurations. Raises AwsError."""
    return tuple(iter_snapshot_copy_configurations(client, namespace_name))


def _give_back(
    client: RedshiftServerlessClient, previous: Mapping[str, Any], request: _Request
) -> None:
    """Hand back to the listener the action a failed request took over; a failure to do so is
    logged, never raised over the request's own failure."""
    name = str(previous["scheduledActionName"])
    try:
        restored = restore_scheduled_action(client, previous, taken_by=request.owner)
    except SnapshotScheduleError as exc:
        # NOTE: the action then stays this resource's and serves the namespace; the stack's
        # Delete or a later Create of the same resource settles it.
        logger.error(
            "Could not give scheduled action %s back to the listener: %s",
            name,
            exc,
            extra=request.log_extra(scheduled_action=name),
        )
        return None

    if restored:
        logger.info(
            "Gave scheduled action %s back to the listener after the failed %s",
            name,
            request.request_type,
            extra=request.log_extra(scheduled_action=name, action="restored"),
        )
    return None


def _deadline(context: LambdaContext) -> float:
    """The monotonic time by which this invocation must have answered."""
    return time.monotonic() + context.get_remaining_time_in_millis() / 1000 - RESPONSE_SECONDS


def polling_input_size(event: Mapping[str, Any], data: Mapping[str, Any], physical_id: str) -> int:
    """An upper bound of the length of the Input crhelper gives EventBridge for this request."""
    polled = {
        **event,
        **_POLLING_KEYS_ALLOWANCE,
        "CrHelperData": {**data, "PhysicalResourceId": physical_id},
    }
    return len(json.dumps(polled))


def _became_available(
    client: RedshiftServerlessClient, namespace_name: str, context: LambdaContext
) -> bool:
    """True once the namespace is AVAILABLE; False when the time this invocation may spend
    waiting ran out first. Raises NamespaceNotFound."""
    budget = context.get_remaining_time_in_millis() / 1000 - ANSWER_RESERVE_SECONDS
    if budget <= 0:
        return False

    interval = _wait_interval_seconds()
    try:
        wait_until_available(
            client,
            namespace_name,
            attempts=max(1, int(budget / max(interval, 0.001)) + 1),
            interval=interval,
            deadline=time.monotonic() + budget,
        )
    except NamespaceNotReady:
        return False
    return True


def _answering(function: RequestFunction) -> RequestFunction:
    """``function`` with its errors' messages cut to what a response Reason can carry, and
    botocore's own errors (no answer from AWS) turned into ones that say what to do."""

    def answering(event: Event, context: LambdaContext) -> str | None:
        try:
            return function(event, context)
        except SnapshotScheduleError as exc:
            if len(str(exc)) <= RESPONSE_REASON_LIMIT:
                raise
            raise SnapshotScheduleError(_shorten(str(exc))) from exc
        except BotoCoreError as exc:
            # No answer from AWS at all (a timeout, no connection): say so, and what to do.
            raise SnapshotScheduleError(
                _shorten(
                    f"An AWS call got no answer ({exc}); retrying the stack operation "
                    "usually succeeds"
                )
            ) from exc

    return answering


def _log_level(text: str) -> str:
    """LOG_LEVEL, or INFO when unset or unknown: a bad level must not cost the response."""
    level = text.strip().upper()
    if level not in _LOG_LEVELS:
        if level:
            logger.warning("LOG_LEVEL %r is not one of %s: using INFO", text, _LOG_LEVELS)
        return "INFO"
    return level


def _poll_timeout_seconds() -> float:
    return _seconds("POLL_TIMEOUT_SECONDS", DEFAULT_POLL_TIMEOUT_SECONDS)


def _wait_interval_seconds() -> float:
    return _seconds("WAIT_INTERVAL_SECONDS", DEFAULT_WAIT_INTERVAL_SECONDS)


def _seconds(variable: str, default: float) -> float:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise SpecError(variable, text, "a number of seconds")
    return float(text)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shorten(text: str) -> str:
    """crhelper keeps only the *end* of a Reason past 256 characters; keep the start instead."""
    if len(text) <= RESPONSE_REASON_LIMIT:
        return text
    return text[: RESPONSE_REASON_LIMIT - 1] + "…"
