"""The emulator's call log, read as the writes a test cares about."""

from __future__ import annotations

import moto_redshift_serverless

# The calls that change a namespace's schedule or copy configuration.
WRITES = (
    "CreateScheduledAction",
    "UpdateScheduledAction",
    "DeleteScheduledAction",
    "CreateSnapshotCopyConfiguration",
    "UpdateSnapshotCopyConfiguration",
    "DeleteSnapshotCopyConfiguration",
)


def writes() -> dict[str, int]:
    """Schedule and copy configuration writes served since the call log was last cleared."""
    counts = moto_redshift_serverless.call_log.counts()
    return {operation: counts[operation] for operation in WRITES if counts[operation]}
