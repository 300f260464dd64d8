"""Serves JSON-protocol requests (X-Amz-Target: RedshiftServerless.<Operation>)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.core.utils import get_service_model

from .control import CallRecord, call_log, clock, faults, settings
from .exceptions import (
    InternalServerException,
    InvalidPaginationException,
    RedshiftServerlessClientError,
    ThrottlingException,
    ValidationException,
)
from .models import RedshiftServerlessBackend, redshiftserverless_backends
from .validation import check_against_model, paginate

T = TypeVar("T")

# List operations whose model declares InvalidPaginationException; the others answer a bad
# token with ValidationException, the only client error their model lists.
_PAGINATION_ERROR_OPERATIONS = {"ListScheduledActions", "ListSnapshotCopyConfigurations"}
# The backends' dictionaries are not thread-safe; callers with worker threads (a concurrent
# sweep) are served one operation at a time, while injected latency still overlaps.
_DISPATCH_LOCK = threading.RLock()


class RedshiftServerlessResponse(BaseResponse):
    """Handler for Redshift Serverless requests and responses."""

    def __init__(self) -> None:
        super().__init__(service_name="redshift-serverless")
        self.automated_parameter_parsing = True

    @property
    def backend(self) -> RedshiftServerlessBackend:
        return redshiftserverless_backends[self.current_account][self.region]

    def call_action(self) -> TYPE_RESPONSE:
        """Serve one call through fault injection, and record it in the call log."""
        operation = self._get_action()
        delay = faults.delay(operation)
        if delay:
            time.sleep(delay)

        fault = faults.fault_for(operation)
        if fault is not None:
            status, headers, body = self._fault(fault)
        else:
            try:
                self._validate(operation)
            except ValidationException as exc:
                status, headers, body = self.serialized(ActionResult(exc))
            else:
                with _DISPATCH_LOCK:
                    status, headers, body = super().call_action()

        call_log.append(
            CallRecord(
                operation=operation,
                account_id=self.current_account,
                region=self.region,
                error_code=_error_code(status, body),
                time=clock.now(),
            )
        )
        return status, headers, body

    def _validate(self, operation: str) -> None:
        """Enforce the input constraints of the model that botocore does not check."""
        service_model = get_service_model(self.boto3_service_name)
        if operation not in service_model.operation_names:
            return
        input_shape = service_model.operation_model(operation).input_shape
        if input_shape is not None:
            check_against_model(input_shape, self.params)

    def _fault(self, code: str) -> TYPE_RESPONSE:
        error: RedshiftServerlessClientError
        if code == "ThrottlingException":
            error = ThrottlingException("Rate exceeded")
            status = 400
        else:
            error = InternalServerException("The service encountered an internal error.")
            status = 500
        _, headers, body = self.serialized(ActionResult(error))
        headers["status"] = str(status)
        return status, headers, body

    def _page(
        self, items: Sequence[T], key_of: Callable[[T], str], scope: str
    ) -> tuple[list[T], str | None]:
        operation = self._get_action()
        error = (
            InvalidPaginationException
            if operation in _PAGINATION_ERROR_OPERATIONS
            else ValidationException
        )
        return paginate(
            items,
            key_of,
            scope=f"{operation}:{scope}",
            next_token=self._get_param("nextToken"),
            max_results=self._get_param("maxResults"),
            invalid_token_error=error,
        )

    # -- namespaces --------------------------------------------------------------------------

    def create_namespace(self) -> ActionResult:
        namespace = self.backend.create_namespace(self.params)
        return ActionResult({"namespace": namespace.to_dict()})

    def get_namespace(self) -> ActionResult:
        namespace = self.backend.get_namespace(self._get_param("namespaceName"))
        return ActionResult({"namespace": namespace.to_dict()})

    def list_namespaces(self) -> ActionResult:
        page, token = self._page(self.backend.list_namespaces(), lambda n: n.namespace_name, "")
        return ActionResult({"namespaces": [n.to_dict() for n in page], "nextToken": token})

    def update_namespace(self) -> ActionResult:
        namespace = self.backend.update_namespace(self.params)
        return ActionResult({"namespace": namespace.to_dict()})

    def delete_namespace(self) -> ActionResult:
        return ActionResult({"namespace": self.backend.delete_namespace(self.params)})

    # -- workgroups --------------------------------------------------------------------------

    def create_workgroup(self) -> ActionResult:
        workgroup = self.backend.create_workgroup(self.params)
        return ActionResult({"workgroup": workgroup.to_dict()})

    def get_workgroup(self) -> ActionResult:
        workgroup = self.backend.get_workgroup(self._get_param("workgroupName"))
        return ActionResult({"workgroup": workgroup.to_dict()})

    def list_workgroups(self) -> ActionResult:
        page, token = self._page(self.backend.list_workgroups(), lambda w: w.workgroup_name, "")
        return ActionResult({"workgroups": [w.to_dict() for w in page], "nextToken": token})

    def delete_workgroup(self) -> ActionResult:
        workgroup = self.backend.delete_workgroup(self._get_param("workgroupName"))
        return ActionResult({"workgroup": workgroup})

    # -- scheduled actions -------------------------------------------------------------------

    def create_scheduled_action(self) -> ActionResult:
        action = self.backend.create_scheduled_action(self.params)
        return ActionResult({"scheduledAction": action.to_dict()})

    def get_scheduled_action(self) -> ActionResult:
        action = self.backend.get_scheduled_action(self._get_param("scheduledActionName"))
        return ActionResult({"scheduledAction": action.to_dict()})

    def update_scheduled_action(self) -> ActionResult:
        action = self.backend.update_scheduled_action(self.params)
        return ActionResult({"scheduledAction": action.to_dict()})

    def delete_scheduled_action(self) -> ActionResult:
        action = self.backend.delete_scheduled_action(self._get_param("scheduledActionName"))
        return ActionResult({"scheduledAction": action.to_dict()})

    def list_scheduled_actions(self) -> ActionResult | str:
        namespace_name = self._get_param("namespaceName")
        actions = self.backend.list_scheduled_actions(namespace_name)
        page, token = self._page(actions, lambda a: a.scheduled_action_name, namespace_name or "")

        if settings.legacy_list_scheduled_actions:
            # botocore 1.33-1.34 modelled the members as plain strings: answer that shape as is.
            legacy: dict[str, Any] = {"scheduledActions": [a.scheduled_action_name for a in page]}
            if token is not None:
                legacy["nextToken"] = token
            return json.dumps(legacy)

        refs = [
            {"namespaceName": a.namespace_name, "scheduledActionName": a.scheduled_action_name}
            for a in page
        ]
        return ActionResult({"scheduledActions": refs, "nextToken": token})

    # -- snapshot copy configurations --------------------------------------------------------

    def create_snapshot_copy_configuration(self) -> ActionResult:
        configuration = self.backend.create_snapshot_copy_configuration(self.params)
        return ActionResult({"snapshotCopyConfiguration": configuration.to_dict()})

    def update_snapshot_copy_configuration(self) -> ActionResult:
        configuration = self.backend.update_snapshot_copy_configuration(
            self._get_param("snapshotCopyConfigurationId"),
            self._get_param("snapshotRetentionPeriod"),
        )
        return ActionResult({"snapshotCopyConfiguration": configuration.to_dict()})

    def delete_snapshot_copy_configuration(self) -> ActionResult:
        configuration = self.backend.delete_snapshot_copy_configuration(
            self._get_param("snapshotCopyConfigurationId")
        )
        return ActionResult({"snapshotCopyConfiguration": configuration.to_dict()})

    def list_snapshot_copy_configurations(self) -> ActionResult:
        namespace_name = self._get_param("namespaceName")
        configurations = self.backend.list_snapshot_copy_configurations(namespace_name)
        page, token = self._page(configurations, lambda c: c.configuration_id, namespace_name or "")
        return ActionResult(
            {"snapshotCopyConfigurations": [c.to_dict() for c in page], "nextToken": token}
        )

    # -- snapshots ---------------------------------------------------------------------------

    def create_snapshot(self) -> ActionResult:
        snapshot = self.backend.create_snapshot(self.params)
        return ActionResult({"snapshot": snapshot.to_dict()})

    def get_snapshot(self) -> ActionResult:
        snapshot = self.backend.get_snapshot(
            self._get_param("snapshotName"), self._get_param("snapshotArn")
        )
        return ActionResult({"snapshot": snapshot.to_dict()})

    def list_snapshots(self) -> ActionResult:
        snapshots = self.backend.list_snapshots(self.params)
        scope = json.dumps(
            {k: str(v) for k, v in self.params.items() if k not in ("nextToken", "maxResults")},
            sort_keys=True,
        )
        page, token = self._page(snapshots, lambda s: s.snapshot_name, scope)
        return ActionResult({"snapshots": [s.to_dict() for s in page], "nextToken": token})

    def delete_snapshot(self) -> ActionResult:
        snapshot = self.backend.delete_snapshot(self._get_param("snapshotName"))
        return ActionResult({"snapshot": snapshot})

    # -- tags --------------------------------------------------------------------------------

    def tag_resource(self) -> ActionResult:
        self.backend.tag_resource(self._get_param("resourceArn"), self._get_param("tags"))
        return EmptyResult()

    def untag_resource(self) -> ActionResult:
        self.backend.untag_resource(self._get_param("resourceArn"), self._get_param("tagKeys"))
        return EmptyResult()

    def list_tags_for_resource(self) -> ActionResult:
        tags = self.backend.list_tags_for_resource(self._get_param("resourceArn"))
        return ActionResult({"tags": [{"key": k, "value": v} for k, v in tags.items()]})


def _error_code(status: int, body: Any) -> str | None:
    if status < 400:
        return None
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        return str(status)
    code = payload.get("__type") if isinstance(payload, dict) else None
    return str(code).rsplit("#", 1)[-1] if code else str(status)
