"""RedshiftServerlessBackend: namespaces, workgroups, scheduled actions, snapshots, copies."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from uuid import uuid4

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel

from . import cron
from .control import clock, settings
from .exceptions import (
    ConflictException,
    ResourceNotFoundException,
    TooManyTagsException,
    ValidationException,
)
from .validation import (
    check_enum_list,
    check_name,
    check_region,
    check_retention,
    check_string,
    check_tags,
)

LOG_EXPORTS = ("useractivitylog", "userlog", "connectionlog")
MAX_TAGS = 50
NEXT_INVOCATIONS = 3
DEFAULT_COPY_RETENTION_DAYS = 7
ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$"
NO_WORKGROUP_ERROR = (
    "Failed to create snapshot: there isn't a workgroup created for the namespace {name}."
)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Namespace(BaseModel):
    """A Redshift Serverless namespace; its status may be held by the control API."""

    def __init__(self, backend: RedshiftServerlessBackend, name: str, params: dict[str, Any]):
        self.namespace_name = name
        self.namespace_id = str(uuid4())
        self.arn = backend.arn("namespace", self.namespace_id)
        self.creation_date = clock.now()
        self.admin_username: str = params.get("adminUsername") or "admin"
        self.db_name: str = params.get("dbName") or "dev"
        self.kms_key_id: str = params.get("kmsKeyId") or "AWS_OWNED_KMS_KEY"
        self.default_iam_role_arn: str | None = params.get("defaultIamRoleArn")
        self.iam_roles: list[str] = list(params.get("iamRoles") or [])
        self.log_exports: list[str] = list(params.get("logExports") or [])
        self.tags: dict[str, str] = {t["key"]: t["value"] for t in params.get("tags") or []}
        self._status = "AVAILABLE"
        # What the namespace becomes when a hold ends; None: it no longer exists.
        self._then: str | None = "AVAILABLE"
        self._gone = False
        self._hold_reads: int | None = None
        self._hold_until: datetime | None = None

    def hold(
        self,
        status: str,
        reads: int | None,
        seconds: float | None,
        then: str | None = "AVAILABLE",
    ) -> None:
        """Report `status` for `reads` reads or `seconds` emulated seconds (with neither, until
        held again), then `then`; then=None ends the hold with the namespace gone."""
        self._status = status
        self._then = then
        self._gone = False
        self._hold_reads = reads
        self._hold_until = clock.now() + timedelta(seconds=seconds) if seconds is not None else None

    @property
    def status(self) -> str:
        self._end_expired_hold()
        return self._status

    @property
    def being_deleted(self) -> bool:
        return self._then is None

    @property
    def gone(self) -> bool:
        """Whether a held deletion has run its course."""
        self._end_expired_hold()
        return self._gone

    def _end_expired_hold(self) -> None:
        if self._hold_until is not None and clock.now() >= self._hold_until:
            self._release()

    def observe(self) -> None:
        """Count one GetNamespace read against a status held for a number of reads."""
        if self._hold_reads is None:
            return
        self._hold_reads -= 1
        if self._hold_reads < 0:
            self._release()

    def _release(self) -> None:
        if self._then is None:
            self._gone = True
        else:
            self._status = self._then
        self._hold_reads = None
        self._hold_until = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "namespaceName": self.namespace_name,
            "namespaceId": self.namespace_id,
            "namespaceArn": self.arn,
            "adminUsername": self.admin_username,
            "dbName": self.db_name,
            "kmsKeyId": self.kms_key_id,
            "defaultIamRoleArn": self.default_iam_role_arn,
            "iamRoles": self.iam_roles,
            "logExports": self.log_exports,
            "status": self.status,
            "creationDate": self.creation_date,
        }


class Workgroup(BaseModel):
    """A workgroup: the compute of one namespace."""

    def __init__(self, backend: RedshiftServerlessBackend, name: str, params: dict[str, Any]):
        self.workgroup_name = name
        self.workgroup_id = str(uuid4())
        self.arn = backend.arn("workgroup", self.workgroup_id)
        self.namespace_name: str = params["namespaceName"]
        self.creation_date = clock.now()
        self.base_capacity: int = params.get("baseCapacity") or 128
        self.port: int = params.get("port") or 5439
        self.publicly_accessible: bool = bool(params.get("publiclyAccessible", False))
        self.enhanced_vpc_routing: bool = bool(params.get("enhancedVpcRouting", False))
        self.config_parameters: list[dict[str, str]] = list(params.get("configParameters") or [])
        self.security_group_ids: list[str] = list(params.get("securityGroupIds") or [])
        self.subnet_ids: list[str] = list(params.get("subnetIds") or [])
        self.tags: dict[str, str] = {t["key"]: t["value"] for t in params.get("tags") or []}
        self.status = "AVAILABLE"
        self.address = (
            f"{name}.{backend.account_id}.{backend.region_name}.redshift-serverless.amazonaws.com"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "workgroupName": self.workgroup_name,
            "workgroupId": self.workgroup_id,
            "workgroupArn": self.arn,
            "namespaceName": self.namespace_name,
            "baseCapacity": self.base_capacity,
            "port": self.port,
            "publiclyAccessible": self.publicly_accessible,
            "enhancedVpcRouting": self.enhanced_vpc_routing,
            "configParameters": self.config_parameters,
            "securityGroupIds": self.security_group_ids,
            "subnetIds": self.subnet_ids,
            "status": self.status,
            "creationDate": self.creation_date,
            "endpoint": {"address": self.address, "port": self.port},
        }


class ScheduledAction(BaseModel):
    """A scheduled action targeting createSnapshot; fires when the emulated clock passes it."""

    def __init__(self, name: str, namespace_name: str) -> None:
        self.scheduled_action_name = name
        self.namespace_name = namespace_name
        self.uuid = str(uuid4())
        self.role_arn = ""
        self.schedule: dict[str, Any] = {}
        self.cron: cron.CronSchedule | None = None
        self.target_action: dict[str, Any] = {}
        self.enabled = True
        self.start_time: datetime | None = None
        self.end_time: datetime | None = None
        self.description: str | None = None
        # Invocations up to this moment are past: nothing before it fires.
        self.checked_until = clock.now()

    @property
    def state(self) -> str:
        return "ACTIVE" if self.enabled else "DISABLED"

    def next_after(self, moment: datetime) -> datetime | None:
        """The first invocation strictly after `moment`, honouring startTime and endTime."""
        if self.start_time is not None and moment < self.start_time:
            moment = self.start_time - timedelta(microseconds=1)

        if self.cron is not None:
            candidate = self.cron.next_after(moment)
        else:
            at = self.schedule.get("at")
            candidate = at if at is not None and at > moment else None

        if candidate is None or (self.end_time is not None and candidate > self.end_time):
            return None
        return candidate

    def next_invocations(self, count: int = NEXT_INVOCATIONS) -> list[datetime]:
        if not self.enabled:
            return []
        moments: list[datetime] = []
        moment = clock.now()
        while len(moments) < count:
            following = self.next_after(moment)
            if following is None:
                break
            moments.append(following)
            moment = following
        return moments

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheduledActionName": self.scheduled_action_name,
            "scheduledActionUuid": self.uuid,
            "namespaceName": self.namespace_name,
            "roleArn": self.role_arn,
            "schedule": self.schedule,
            "targetAction": self.target_action,
            "state": self.state,
            "startTime": self.start_time,
            "endTime": self.end_time,
            "scheduledActionDescription": self.description,
            "nextInvocations": self.next_invocations(),
        }


class SnapshotCopyConfiguration(BaseModel):
    """Copies every new snapshot of a namespace to one destination region."""

    def __init__(
        self,
        backend: RedshiftServerlessBackend,
        namespace_name: str,
        destination_region: str,
        destination_kms_key_id: str | None,
        retention_period: int,
    ) -> None:
        self.configuration_id = str(uuid4())
        self.arn = backend.arn("snapshotcopyconfiguration", self.configuration_id)
        self.namespace_name = namespace_name
        self.destination_region = destination_region
        self.destination_kms_key_id = destination_kms_key_id
        self.retention_period = retention_period

    def to_dict(self) -> dict[str, Any]:
        return {
            "snapshotCopyConfigurationId": self.configuration_id,
            "snapshotCopyConfigurationArn": self.arn,
            "namespaceName": self.namespace_name,
            "destinationRegion": self.destination_region,
            "destinationKmsKeyId": self.destination_kms_key_id,
            "snapshotRetentionPeriod": self.retention_period,
        }


class Snapshot(BaseModel):
    """A snapshot of a namespace, made on request, by a scheduled action or as a copy."""

    def __init__(
        self,
        backend: RedshiftServerlessBackend,
        name: str,
        namespace_name: str,
        namespace_arn: str,
        retention_period: int,
        created: datetime,
        kms_key_id: str | None = None,
        admin_username: str | None = None,
    ) -> None:
        self.snapshot_name = name
        self.arn = backend.arn("snapshot", str(uuid4()))
        self.namespace_name = namespace_name
        self.namespace_arn = namespace_arn
        self.owner_account = backend.account_id
        self.retention_period = retention_period
        self.create_time = created
        self.kms_key_id = kms_key_id
        self.admin_username = admin_username
        self.tags: dict[str, str] = {}
        self.status = "AVAILABLE"

    def expired(self, now: datetime) -> bool:
        if self.retention_period == -1:
            return False
        return now >= self.create_time + timedelta(days=self.retention_period)

    def to_dict(self) -> dict[str, Any]:
        remaining = -1
        if self.retention_period != -1:
            left = self.create_time + timedelta(days=self.retention_period) - clock.now()
            remaining = max(0, left.days)
        return {
            "snapshotName": self.snapshot_name,
            "snapshotArn": self.arn,
            "namespaceName": self.namespace_name,
            "namespaceArn": self.namespace_arn,
            "ownerAccount": self.owner_account,
            "status": self.status,
            "snapshotCreateTime": self.create_time,
            "snapshotRetentionStartTime": self.create_time,
            "snapshotRetentionPeriod": self.retention_period,
            "snapshotRemainingDays": remaining,
            "kmsKeyId": self.kms_key_id,
            "adminUsername": self.admin_username,
        }


@dataclass(frozen=True)
class ScheduledActionRun:
    """One invocation of a scheduled action: the snapshot it made, or why it failed."""

    scheduled_action_name: str
    namespace_name: str
    time: datetime
    succeeded: bool
    snapshot_name: str | None
    error: str | None


class RedshiftServerlessBackend(BaseBackend):
    """The state of Redshift Serverless in one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.namespaces: dict[str, Namespace] = {}
        self.workgroups: dict[str, Workgroup] = {}
        self.scheduled_actions: dict[str, ScheduledAction] = {}
        self.snapshot_copy_configurations: dict[str, SnapshotCopyConfiguration] = {}
        self.snapshots: dict[str, Snapshot] = {}
        self.scheduled_action_runs: list[ScheduledActionRun] = []
        self._new_namespace_hold: tuple[str, int | None, float | None] | None = None
        self._delete_hold: tuple[int | None, float | None] | None = None
        self._rejected_roles: dict[str, int] = {}

    def arn(self, resource: str, resource_id: str) -> str:
        return (
            f"arn:{self.partition}:redshift-serverless:{self.region_name}:{self.account_id}:"
            f"{resource}/{resource_id}"
        )

    # -- control API -------------------------------------------------------------------------

    def set_namespace_status(
        self, name: str, status: str, *, reads: int | None = None, seconds: float | None = None
    ) -> None:
        """Hold namespace `name` in `status` for `reads` GetNamespace reads or `seconds`
        emulated seconds, then report AVAILABLE; with neither, hold until changed again.

        Raises KeyError for an unknown namespace. Cancels a held deletion.
        """
        namespace = self._live_namespace(name)
        if namespace is None:
            raise KeyError(name)
        namespace.hold(status, reads, seconds)

    def hold_new_namespaces(
        self,
        status: str | None = "MODIFYING",
        *,
        reads: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Namespaces created from now on start in `status` (held as set_namespace_status does);
        status=None makes them AVAILABLE at once, the default."""
        self._new_namespace_hold = (status, reads, seconds) if status is not None else None

    def hold_deletes(self, *, reads: int | None = None, seconds: float | None = None) -> None:
        """Namespaces deleted from now on report DELETING for `reads` GetNamespace reads or
        `seconds` emulated seconds, then are gone (ResourceNotFoundException); with neither,
        deletion is immediate, the default."""
        held = reads is not None or seconds is not None
        self._delete_hold = (reads, seconds) if held else None

    def reject_role(self, role_arn: str, times: int) -> None:
        """The next `times` Create/UpdateScheduledAction naming `role_arn` fail as if IAM had not
        yet propagated the role."""
        self._rejected_roles[role_arn] = times

    # -- namespaces --------------------------------------------------------------------------

    def create_namespace(self, params: dict[str, Any]) -> Namespace:
        name = params["namespaceName"]
        check_name("namespaceName", name)
        check_enum_list("logExports", params.get("logExports"), LOG_EXPORTS)
        check_tags("tags", params.get("tags"))
        if len(params.get("tags") or []) > MAX_TAGS:
            raise TooManyTagsException(f"A resource can have at most {MAX_TAGS} tags.")
        if self._live_namespace(name) is not None:
            raise ConflictException(f"Namespace {name} already exists.")

        namespace = Namespace(self, name, params)
        if self._new_namespace_hold is not None:
            namespace.hold(*self._new_namespace_hold)
        self.namespaces[name] = namespace
        return namespace

    def get_namespace(self, name: str) -> Namespace:
        check_name("namespaceName", name)
        self._namespace(name).observe()
        # The read that ends a held deletion already finds the namespace gone.
        return self._namespace(name)

    def list_namespaces(self) -> list[Namespace]:
        live = (self._live_namespace(name) for name in list(self.namespaces))
        return [namespace for namespace in live if namespace is not None]

    def update_namespace(self, params: dict[str, Any]) -> Namespace:
        check_name("namespaceName", params["namespaceName"])
        check_enum_list("logExports", params.get("logExports"), LOG_EXPORTS)
        namespace = self._namespace(params["namespaceName"])

        for key, attribute in (
            ("adminUsername", "admin_username"),
            ("kmsKeyId", "kms_key_id"),
            ("defaultIamRoleArn", "default_iam_role_arn"),
        ):
            if params.get(key) is not None:
                setattr(namespace, attribute, params[key])
        if params.get("iamRoles") is not None:
            namespace.iam_roles = list(params["iamRoles"])
        if params.get("logExports") is not None:
            namespace.log_exports = list(params["logExports"])
        return namespace

    def delete_namespace(self, params: dict[str, Any]) -> dict[str, Any]:
        """Delete a namespace; the response shows it DELETING, afterwards it is gone."""
        name = params["namespaceName"]
        check_name("namespaceName", name)
        check_retention("finalSnapshotRetentionPeriod", params.get("finalSnapshotRetentionPeriod"))
        namespace = self._namespace(name)
        if namespace.being_deleted:
            raise ConflictException(f"Namespace {name} is already being deleted.")
        workgroup = self._workgroup_of(name)
        if workgroup is not None:
            raise ConflictException(
                f"Namespace {name} has workgroup {workgroup.workgroup_name} associated with it. "
                "Delete the workgroup first."
            )

        if params.get("finalSnapshotName"):
            self._store_snapshot(
                namespace,
                params["finalSnapshotName"],
                params.get("finalSnapshotRetentionPeriod") or -1,
            )
        reads, seconds = self._delete_hold or (None, None)
        namespace.hold("DELETING", reads, seconds, then=None)
        response = namespace.to_dict()
        if self._delete_hold is None:
            del self.namespaces[name]
        return response

    def _namespace(self, name: str) -> Namespace:
        namespace = self._live_namespace(name)
        if namespace is None:
            raise ResourceNotFoundException(f"Namespace {name} does not exist.", resource_name=name)
        return namespace

    def _live_namespace(self, name: str) -> Namespace | None:
        """Namespace `name`, or None; forgets it once a held deletion has run its course."""
        # NOTE: a DELETING namespace is otherwise served as before (workgroups, scheduled
        # actions and snapshots may still be made on it); what AWS refuses then is unverified.
        namespace = self.namespaces.get(name)
        if namespace is not None and namespace.gone:
            del self.namespaces[name]
            return None
        return namespace

    # -- workgroups --------------------------------------------------------------------------

    def create_workgroup(self, params: dict[str, Any]) -> Workgroup:
        name = params["workgroupName"]
        check_name("workgroupName", name)
        check_name("namespaceName", params["namespaceName"])
        check_tags("tags", params.get("tags"))
        if name in self.workgroups:
            raise ConflictException(f"Workgroup {name} already exists.")
        self._namespace(params["namespaceName"])
        existing = self._workgroup_of(params["namespaceName"])
        if existing is not None:
            raise ConflictException(
                f"Namespace {params['namespaceName']} is already associated with workgroup "
                f"{existing.workgroup_name}."
            )

        workgroup = Workgroup(self, name, params)
        self.workgroups[name] = workgroup
        return workgroup

    def get_workgroup(self, name: str) -> Workgroup:
        check_name("workgroupName", name)
        return self._workgroup(name)

    def list_workgroups(self) -> list[Workgroup]:
        return list(self.workgroups.values())

    def delete_workgroup(self, name: str) -> dict[str, Any]:
        check_name("workgroupName", name)
        workgroup = self._workgroup(name)
        workgroup.status = "DELETING"
        del self.workgroups[name]
        return workgroup.to_dict()

    def _workgroup(self, name: str) -> Workgroup:
        try:
            return self.workgroups[name]
        except KeyError:
            raise ResourceNotFoundException(
                f"Workgroup {name} does not exist.", resource_name=name
            ) from None

    def _workgroup_of(self, namespace_name: str) -> Workgroup | None:
        return next(
            (w for w in self.workgroups.values() if w.namespace_name == namespace_name), None
        )

    # -- scheduled actions -------------------------------------------------------------------

    def create_scheduled_action(self, params: dict[str, Any]) -> ScheduledAction:
        name = params["scheduledActionName"]
        check_name("scheduledActionName", name, max_length=60)
        check_name("namespaceName", params["namespaceName"])
        if name in self.scheduled_actions:
            raise ConflictException(f"Scheduled action {name} already exists.")
        self._namespace(params["namespaceName"])

        action = ScheduledAction(name, params["namespaceName"])
        self._apply_scheduled_action(action, params, creating=True)
        self.scheduled_actions[name] = action
        return action

    def get_scheduled_action(self, name: str) -> ScheduledAction:
        check_name("scheduledActionName", name, max_length=60)
        return self._scheduled_action(name)

    def update_scheduled_action(self, params: dict[str, Any]) -> ScheduledAction:
        name = params["scheduledActionName"]
        check_name("scheduledActionName", name, max_length=60)
        action = self._scheduled_action(name)
        self._apply_scheduled_action(action, params, creating=False)
        return action

    def delete_scheduled_action(self, name: str) -> ScheduledAction:
        check_name("scheduledActionName", name, max_length=60)
        action = self._scheduled_action(name)
        del self.scheduled_actions[name]
        return action

    def list_scheduled_actions(self, namespace_name: str | None) -> list[ScheduledAction]:
        if namespace_name is not None:
            check_name("namespaceName", namespace_name)
            self._namespace(namespace_name)
        return [
            a
            for a in self.scheduled_actions.values()
            if namespace_name is None or a.namespace_name == namespace_name
        ]

    def _scheduled_action(self, name: str) -> ScheduledAction:
        try:
            return self.scheduled_actions[name]
        except KeyError:
            raise ResourceNotFoundException(
                f"Scheduled action {name} does not exist.", resource_name=name
            ) from None

    def _apply_scheduled_action(
        self, action: ScheduledAction, params: dict[str, Any], *, creating: bool
    ) -> None:
        """Validate `params` completely, then apply them to `action` (all or nothing)."""
        role_arn = params.get("roleArn", action.role_arn)
        check_string("roleArn", role_arn, pattern=ROLE_ARN_PATTERN)
        schedule = params.get("schedule")
        parsed = _parse_schedule(schedule) if schedule is not None else action.cron
        target = params.get("targetAction")
        if target is not None:
            _check_target_action(target, action.namespace_name)
        start = _utc(params["startTime"]) if params.get("startTime") else action.start_time
        end = _utc(params["endTime"]) if params.get("endTime") else action.end_time
        if start is not None and end is not None and end <= start:
            raise ValidationException(
                f"Invalid value for endTime: {end.isoformat()} must be after startTime "
                f"{start.isoformat()}."
            )
        description = params.get("scheduledActionDescription", action.description)
        check_string("scheduledActionDescription", description, max_length=255)
        if (creating or "roleArn" in params) and self._rejected_roles.get(role_arn, 0) > 0:
            self._rejected_roles[role_arn] -= 1
            raise ValidationException(
                f"The Amazon Redshift scheduler cannot assume the IAM role {role_arn}. "
                "Verify that the role exists and trusts scheduler.redshift.amazonaws.com."
            )

        action.role_arn = role_arn
        if schedule is not None:
            action.schedule = _stored_schedule(schedule)
            action.cron = parsed
        if target is not None:
            action.target_action = target
        if "enabled" in params:
            action.enabled = bool(params["enabled"])
        action.start_time = start
        action.end_time = end
        action.description = description
        action.checked_until = clock.now()

    # -- snapshot copy configurations --------------------------------------------------------

    def create_snapshot_copy_configuration(
        self, params: dict[str, Any]
    ) -> SnapshotCopyConfiguration:
        namespace_name = params["namespaceName"]
        destination = params["destinationRegion"]
        retention = params.get("snapshotRetentionPeriod")
        check_name("namespaceName", namespace_name)
        check_string("destinationRegion", destination, pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
        check_region("destinationRegion", destination, self.partition)
        check_retention("snapshotRetentionPeriod", retention)
        if destination == self.region_name:
            raise ValidationException(
                f"Invalid value for destinationRegion: {destination}. The destination region "
                "must differ from the namespace's region."
            )
        self._namespace(namespace_name)
        for existing in self.snapshot_copy_configurations.values():
            if existing.namespace_name == namespace_name:
                raise ConflictException(
                    f"Namespace {namespace_name} already has a snapshot copy configuration to "
                    f"{existing.destination_region} ({existing.configuration_id}). A namespace "
                    "copies snapshots to one destination region at a time."
                )

        configuration = SnapshotCopyConfiguration(
            self,
            namespace_name,
            destination,
            params.get("destinationKmsKeyId"),
            retention if retention is not None else DEFAULT_COPY_RETENTION_DAYS,
        )
        self.snapshot_copy_configurations[configuration.configuration_id] = configuration
        return configuration

    def update_snapshot_copy_configuration(
        self, configuration_id: str, retention: int | None
    ) -> SnapshotCopyConfiguration:
        check_retention("snapshotRetentionPeriod", retention)
        configuration = self._snapshot_copy_configuration(configuration_id)
        if retention is not None:
            configuration.retention_period = retention
        return configuration

    def delete_snapshot_copy_configuration(
        self, configuration_id: str
    ) -> SnapshotCopyConfiguration:
        configuration = self._snapshot_copy_configuration(configuration_id)
        del self.snapshot_copy_configurations[configuration_id]
        return configuration

    def list_snapshot_copy_configurations(
        self, namespace_name: str | None
    ) -> list[SnapshotCopyConfiguration]:
        if namespace_name is not None:
            check_name("namespaceName", namespace_name)
            self._namespace(namespace_name)
        return [
            c
            for c in self.snapshot_copy_configurations.values()
            if namespace_name is None or c.namespace_name == namespace_name
        ]

    def _snapshot_copy_configuration(self, configuration_id: str) -> SnapshotCopyConfiguration:
        try:
            return self.snapshot_copy_configurations[configuration_id]
        except KeyError:
            raise ResourceNotFoundException(
                f"Snapshot copy configuration {configuration_id} does not exist.",
                resource_name=configuration_id,
            ) from None

    # -- snapshots ---------------------------------------------------------------------------

    def create_snapshot(self, params: dict[str, Any]) -> Snapshot:
        name = params["snapshotName"]
        check_string("snapshotName", name, min_length=1, max_length=255)
        check_retention("retentionPeriod", params.get("retentionPeriod"))
        check_tags("tags", params.get("tags"))
        if len(params.get("tags") or []) > MAX_TAGS:
            raise TooManyTagsException(f"A resource can have at most {MAX_TAGS} tags.")
        namespace = self._namespace(params["namespaceName"])
        if self._workgroup_of(namespace.namespace_name) is None:
            raise ValidationException(NO_WORKGROUP_ERROR.format(name=namespace.namespace_name))
        if name in self.snapshots:
            raise ConflictException(f"Snapshot {name} already exists.")

        retention = params.get("retentionPeriod")
        snapshot = self._store_snapshot(namespace, name, retention if retention else -1)
        snapshot.tags = {t["key"]: t["value"] for t in params.get("tags") or []}
        return snapshot

    def get_snapshot(self, name: str | None, arn: str | None) -> Snapshot:
        self.expire_snapshots(clock.now())
        for snapshot in self.snapshots.values():
            if snapshot.snapshot_name == name or (arn is not None and snapshot.arn == arn):
                return snapshot
        if name is None and arn is None:
            raise ValidationException("You must provide either snapshotName or snapshotArn.")
        missing = name or arn or ""
        raise ResourceNotFoundException(
            f"Snapshot {missing} does not exist.", resource_name=missing
        )

    def list_snapshots(self, params: dict[str, Any]) -> list[Snapshot]:
        self.expire_snapshots(clock.now())
        start = _utc(params["startTime"]) if params.get("startTime") else None
        end = _utc(params["endTime"]) if params.get("endTime") else None
        return [
            s
            for s in self.snapshots.values()
            if params.get("namespaceName") in (None, s.namespace_name)
            and params.get("namespaceArn") in (None, s.namespace_arn)
            and params.get("ownerAccount") in (None, s.owner_account)
            and (start is None or s.create_time >= start)
            and (end is None or s.create_time <= end)
        ]

    def delete_snapshot(self, name: str) -> dict[str, Any]:
        snapshot = self.get_snapshot(name, None)
        snapshot.status = "DELETED"
        del self.snapshots[snapshot.snapshot_name]
        return snapshot.to_dict()

    def expire_snapshots(self, now: datetime) -> None:
        """Remove the snapshots whose retention period has run out."""
        for name in [n for n, s in self.snapshots.items() if s.expired(now)]:
            del self.snapshots[name]

    def _store_snapshot(self, namespace: Namespace, name: str, retention: int) -> Snapshot:
        """Store a snapshot of `namespace` and copy it per the namespace's copy configuration.

        All or nothing: raises ValidationException, storing nothing, when a copy's destination
        region has no backend.
        """
        destinations = [
            (configuration, self._copy_destination(configuration))
            for configuration in self.snapshot_copy_configurations.values()
            if configuration.namespace_name == namespace.namespace_name
        ]

        now = clock.now()
        snapshot = Snapshot(
            self,
            name,
            namespace.namespace_name,
            namespace.arn,
            retention,
            now,
            namespace.kms_key_id,
            namespace.admin_username,
        )
        self.snapshots[name] = snapshot

        for configuration, destination in destinations:
            copy = Snapshot(
                destination,
                name,
                namespace.namespace_name,
                namespace.arn,
                configuration.retention_period,
                now,
                configuration.destination_kms_key_id or namespace.kms_key_id,
                namespace.admin_username,
            )
            destination.snapshots[name] = copy
        return snapshot

    def _copy_destination(
        self, configuration: SnapshotCopyConfiguration
    ) -> RedshiftServerlessBackend:
        region = configuration.destination_region
        try:
            return redshiftserverless_backends[self.account_id][region]
        except KeyError:
            # Only reachable for a configuration stored without CreateSnapshotCopyConfiguration's
            # region check; refuse the snapshot rather than store half of it.
            raise ValidationException(
                f"Invalid value for destinationRegion: {region}. Snapshot copy configuration "
                f"{configuration.configuration_id} names a region without Redshift Serverless; "
                "delete it and create one for an available region."
            ) from None

    # -- the scheduler -----------------------------------------------------------------------

    def run_scheduled_action(self, action: ScheduledAction, moment: datetime) -> None:
        """Invoke `action` at `moment`: make its snapshot, or record why that failed."""
        action.checked_until = moment
        create = action.target_action.get("createSnapshot", {})
        namespace_name = create.get("namespaceName", action.namespace_name)
        snapshot_name = f"{create.get('snapshotNamePrefix', 'snapshot')}-{moment:%Y-%m-%d-%H-%M-%S}"

        error: str | None = None
        namespace = self._live_namespace(namespace_name)
        if namespace is None:
            error = f"Namespace {namespace_name} does not exist."
        elif self._workgroup_of(namespace_name) is None:
            error = NO_WORKGROUP_ERROR.format(name=namespace_name)
        elif snapshot_name in self.snapshots:
            error = f"Snapshot {snapshot_name} already exists."

        if namespace is not None and error is None:
            retention = create.get("retentionPeriod")
            try:
                snapshot = self._store_snapshot(
                    namespace, snapshot_name, retention if retention else -1
                )
            except ValidationException as exc:
                error = exc.message
            else:
                # NOTE: the tags go on the snapshot only, not on its cross-region copies, as
                # for CreateSnapshot; whether AWS tags the copies is unverified.
                snapshot.tags = {t["key"]: t["value"] for t in create.get("tags") or []}
        self.scheduled_action_runs.append(
            ScheduledActionRun(
                scheduled_action_name=action.scheduled_action_name,
                namespace_name=namespace_name,
                time=moment,
                succeeded=error is None,
                snapshot_name=snapshot_name if error is None else None,
                error=error,
            )
        )

    # -- tags --------------------------------------------------------------------------------

    def tag_resource(self, arn: str, tags: list[dict[str, str]]) -> None:
        check_tags("tags", tags)
        resource = self._taggable(arn)
        merged = {**resource.tags, **{t["key"]: t["value"] for t in tags}}
        if len(merged) > MAX_TAGS:
            raise TooManyTagsException(
                f"Resource {arn} would have {len(merged)} tags; the limit is {MAX_TAGS}."
            )
        resource.tags = merged

    def untag_resource(self, arn: str, keys: list[str]) -> None:
        resource = self._taggable(arn)
        for key in keys:
            resource.tags.pop(key, None)

    def list_tags_for_resource(self, arn: str) -> dict[str, str]:
        return self._taggable(arn).tags

    def _taggable(self, arn: str) -> Namespace | Workgroup | Snapshot:
        check_string("resourceArn", arn, min_length=1, max_length=1011)
        resources: list[Namespace | Workgroup | Snapshot] = [
            *self.list_namespaces(),
            *self.workgroups.values(),
            *self.snapshots.values(),
        ]
        for resource in resources:
            if resource.arn == arn:
                return resource
        raise ResourceNotFoundException(f"Resource {arn} does not exist.", resource_name=arn)


def _parse_schedule(schedule: dict[str, Any]) -> cron.CronSchedule | None:
    """Validate the `schedule` union; return the parsed cron (None for an `at` schedule)."""
    # botocore refuses both members client-side; a raw request can still send them.
    if (schedule.get("cron") is None) == (schedule.get("at") is None):
        raise ValidationException("Invalid value for schedule: provide exactly one of at, cron.")
    if schedule.get("cron") is None:
        return None

    text = schedule["cron"].strip()
    wanted = settings.cron_wire_format
    if wanted is not None and _cron_form(text) != wanted:
        examples = {"bare": "0 0 * * ? *", "parens": "(0 0 * * ? *)", "cron": "cron(0 0 * * ? *)"}
        raise ValidationException(
            f"Invalid value for schedule.cron: '{text}'. The expression must be written as "
            f"{examples[wanted]}."
        )
    try:
        return cron.parse(text)
    except cron.CronError as exc:
        raise ValidationException(f"Invalid value for schedule.cron: '{text}'. {exc}") from exc


def _cron_form(text: str) -> str:
    if re.match(r"(?i)^cron\(", text):
        return "cron"
    return "parens" if text.startswith("(") else "bare"


def _stored_schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    if schedule.get("cron") is not None:
        return {"cron": schedule["cron"]}
    return {"at": _utc(schedule["at"])}


def _check_target_action(target: dict[str, Any], namespace_name: str) -> None:
    create = target.get("createSnapshot")
    if create is None:
        raise ValidationException("Invalid value for targetAction: createSnapshot is required.")
    check_name("targetAction.createSnapshot.namespaceName", create.get("namespaceName"))
    check_string(
        "targetAction.createSnapshot.snapshotNamePrefix",
        create.get("snapshotNamePrefix"),
        min_length=1,
        max_length=235,
    )
    check_retention("targetAction.createSnapshot.retentionPeriod", create.get("retentionPeriod"))
    tags = create.get("tags") or []
    check_tags("targetAction.createSnapshot.tags", tags)
    if len(tags) > MAX_TAGS:
        raise ValidationException(
            f"Invalid value for targetAction.createSnapshot.tags: {len(tags)} tags. A snapshot "
            f"can have at most {MAX_TAGS} tags."
        )
    if create.get("namespaceName") != namespace_name:
        raise ValidationException(
            f"Invalid value for targetAction.createSnapshot.namespaceName: "
            f"{create.get('namespaceName')}. It must match the scheduled action's namespace "
            f"{namespace_name}."
        )


def iter_backends() -> Iterator[RedshiftServerlessBackend]:
    """Every backend created so far, in every account and region."""
    for account_id in list(redshiftserverless_backends.keys()):
        account = redshiftserverless_backends[account_id]
        yield from list(account.values())


def fire_due_actions(start: datetime, target: datetime) -> None:
    """Run every scheduled action invocation in (start, target], in time order, then expire
    the snapshots whose retention has run out by `target`."""
    due: list[tuple[datetime, int, RedshiftServerlessBackend, ScheduledAction]] = []
    order = count()

    def schedule_next(backend: RedshiftServerlessBackend, action: ScheduledAction) -> None:
        moment = action.next_after(max(action.checked_until, start))
        if action.enabled and moment is not None and moment <= target:
            heapq.heappush(due, (moment, next(order), backend, action))

    for backend in iter_backends():
        for action in backend.scheduled_actions.values():
            schedule_next(backend, action)

    while due:
        moment, _, backend, action = heapq.heappop(due)
        clock.set(moment)
        for each in iter_backends():
            each.expire_snapshots(moment)
        backend.run_scheduled_action(action, moment)
        schedule_next(backend, action)

    for backend in iter_backends():
        backend.expire_snapshots(target)


redshiftserverless_backends = BackendDict(RedshiftServerlessBackend, "redshift-serverless")
