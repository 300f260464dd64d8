"""An out-of-tree moto backend for Amazon Redshift Serverless, plus controls for its world.

Call register() once; afterwards moto's mock_aws and moto's server serve redshift-serverless
in every region, isolated per account and region like any moto service.
"""

from __future__ import annotations

import re
import sys
import threading

from moto.core.models import DEFAULT_ACCOUNT_ID

from .control import (
    CallLog,
    CallRecord,
    EmulatedClock,
    EmulatorSettings,
    FaultInjector,
    call_log,
    clock,
    faults,
    settings,
)
from .models import (
    RedshiftServerlessBackend,
    ScheduledActionRun,
    fire_due_actions,
    redshiftserverless_backends,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "SERVICE_NAME",
    "CallLog",
    "CallRecord",
    "EmulatedClock",
    "EmulatorSettings",
    "FaultInjector",
    "RedshiftServerlessBackend",
    "ScheduledActionRun",
    "call_log",
    "clock",
    "faults",
    "get_backend",
    "register",
    "reset",
    "settings",
]

# The name moto.backends.get_backend derives from the service's endpoint prefix.
SERVICE_NAME = "redshiftserverless"
MODULE_NAME = f"moto.{SERVICE_NAME}"
URL_PATTERN = re.compile(r"https?://redshift-serverless\.(.+)\.amazonaws\.com")

_lock = threading.Lock()


def register() -> None:
    """Mount the backend into moto: mock_aws and moto's server then serve it. Idempotent.

    Uses two private moto names (pinned by the moto version range and watched by a canary
    test): the module moto.backends imports per service, and backend_index's URL patterns.
    """
    from moto import backend_index

    from . import models

    with _lock:
        sys.modules[MODULE_NAME] = models
        patterns = backend_index.backend_url_patterns
        if not any(service == SERVICE_NAME for service, _ in patterns):
            patterns.insert(0, (SERVICE_NAME, URL_PATTERN))
        clock.on_advance = fire_due_actions


def get_backend(
    account_id: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1"
) -> RedshiftServerlessBackend:
    """The emulated service's state in one account and region (created on first use)."""
    return redshiftserverless_backends[account_id][region]


def reset() -> None:
    """Clock, faults, settings and call log back to their defaults.

    The backends' state is reset by mock_aws when it exits, as for every moto service.
    """
    clock.reset()
    faults.reset()
    settings.reset()
    call_log.clear()
