"""A builder for the emulated account, and what the call log says was written."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import moto_redshift_serverless
from custom_resource.spec import Defaults, Owner, build_spec
from moto_redshift_serverless import RedshiftServerlessBackend

ROLE_ARN = "arn:aws:iam::123456789012:role/snapshot-scheduler"
DESTINATION_REGION = "eu-central-1"
WRITE_PREFIXES = ("Create", "Update", "Delete", "Tag", "Untag")


class World:
    """Builds the emulated account quickly, straight through the emulator's backend."""

    def __init__(self, backend: RedshiftServerlessBackend) -> None:
        self.backend = backend

    def namespace(
        self, name: str, *, tags: dict[str, str] | None = None, workgroup: bool = True
    ) -> str:
        """A namespace (AVAILABLE) with a workgroup unless told otherwise; returns its ARN."""
        tag_list = [{"key": key, "value": value} for key, value in (tags or {}).items()]
        namespace = self.backend.create_namespace({"namespaceName": name, "tags": tag_list})
        if workgroup:
            self.backend.create_workgroup({"workgroupName": f"wg-{name}", "namespaceName": name})
        return namespace.arn

    def namespaces(self, names: Iterable[str]) -> None:
        for name in names:
            self.namespace(name)

    def foreign_action(self, namespace_name: str, action_name: str) -> None:
        """A scheduled action made by hand: no marker in its description."""
        self.backend.create_scheduled_action(
            {
                "scheduledActionName": action_name,
                "namespaceName": namespace_name,
                "roleArn": ROLE_ARN,
                "schedule": {"cron": "cron(0 12 * * ? *)"},
                "targetAction": {
                    "createSnapshot": {
                        "namespaceName": namespace_name,
                        "snapshotNamePrefix": "by-hand",
                    }
                },
                "scheduledActionDescription": "nightly snapshot, made by hand",
            }
        )

    def tool_schedule(self, namespace_name: str, owner: Owner | None = None) -> None:
        """What ensure_schedule makes for the default spec, written straight into the backend."""
        defaults = Defaults(role_arn=ROLE_ARN, destination_region=DESTINATION_REGION)
        spec = build_spec(namespace_name, defaults, owner or Owner.listener())
        self.backend.create_scheduled_action(
            {
                "scheduledActionName": spec.scheduled_action_name,
                "namespaceName": namespace_name,
                "roleArn": spec.role_arn,
                "schedule": spec.schedule.to_api(),
                "targetAction": {
                    "createSnapshot": {
                        "namespaceName": namespace_name,
                        "snapshotNamePrefix": spec.snapshot_name_prefix,
                        "retentionPeriod": spec.retention_period,
                    }
                },
                "enabled": True,
                "scheduledActionDescription": spec.description(),
            }
        )
        self.backend.create_snapshot_copy_configuration(
            {
                "namespaceName": namespace_name,
                "destinationRegion": DESTINATION_REGION,
                "snapshotRetentionPeriod": spec.copy_retention_period,
            }
        )

    def drift_schedule(self, scheduled_action_name: str) -> None:
        """Change a scheduled action's cron by hand."""
        self.backend.update_scheduled_action(
            {
                "scheduledActionName": scheduled_action_name,
                "schedule": {"cron": "cron(0 5 * * ? *)"},
            }
        )

    def delete_copy_configurations(self, namespace_name: str) -> None:
        for configuration_id, configuration in list(
            self.backend.snapshot_copy_configurations.items()
        ):
            if configuration.namespace_name == namespace_name:
                self.backend.delete_snapshot_copy_configuration(configuration_id)

    def delete_namespace(self, name: str) -> None:
        """Delete a namespace the way a user would (workgroup first), leaving its schedule."""
        workgroup = f"wg-{name}"
        if workgroup in self.backend.workgroups:
            self.backend.delete_workgroup(workgroup)
        self.backend.delete_namespace({"namespaceName": name})

    def scheduled_actions(self, namespace_name: str | None = None) -> dict[str, Any]:
        """Scheduled actions by name, as GetScheduledAction shows them."""
        return {
            name: action.to_dict()
            for name, action in self.backend.scheduled_actions.items()
            if namespace_name is None or action.namespace_name == namespace_name
        }

    def copy_regions(self, namespace_name: str) -> list[str]:
        return [
            configuration.destination_region
            for configuration in self.backend.snapshot_copy_configurations.values()
            if configuration.namespace_name == namespace_name
        ]


def writes() -> dict[str, int]:
    """Calls served since the call log was last cleared that could change the world."""
    counts = moto_redshift_serverless.call_log.counts()
    return {name: count for name, count in counts.items() if name.startswith(WRITE_PREFIXES)}
