"""cfn-lint rules of Serverless Snapshot Schedule (``--append-rules``: a path or this module)."""

from cfn_lint_rules.serverless_snapshot_schedule import ServerlessSnapshotScheduleProperties

__all__ = ["ServerlessSnapshotScheduleProperties"]
