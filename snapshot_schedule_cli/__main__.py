"""`python -m snapshot_schedule_cli`: the same as the `snapshot-schedule` command."""

from __future__ import annotations

from snapshot_schedule_cli.cli import main

main()
