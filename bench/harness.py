"""What every benchmark shares: the fault profile, the emulated world, timing and statistics.

Benchmarks run in-process against the emulator inside moto's ``mock_aws``. moto patches botocore
for the whole process, so the sweep's worker threads all reach the same emulated service; the
emulator's injected latency is a ``time.sleep`` that releases the GIL, so those threads really
overlap, and its token bucket sees their calls in real time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moto import mock_aws

import moto_redshift_serverless
from moto_redshift_serverless import DEFAULT_ACCOUNT_ID, RedshiftServerlessBackend

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

REGION = "eu-west-1"
DESTINATION_REGION = "eu-central-1"
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/redshift-scheduler"
MARKER = "Managed by serverless-snapshot-schedule; owner=listener; copy=" + DESTINATION_REGION

# Variables that could point a client at a real account or change its retry behaviour.
_CLEARED_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS",
    "AWS_RETRY_MODE",
    "AWS_MAX_ATTEMPTS",
)


@dataclass(frozen=True)
class Profile:
    """The emulator's fault injection: latency per call and a token-bucket rate limit."""

    latency: float = 0.02
    rate_limit: float | None = 20.0
    burst: int | None = None

    @property
    def effective_burst(self) -> int:
        """The bucket's size as the emulator fills it (one second's worth by default)."""
        return self.burst if self.burst is not None else max(1, int(self.rate_limit or 1))

    def apply(self) -> None:
        moto_redshift_serverless.faults.configure(
            latency=self.latency, rate_limit=self.rate_limit, burst=self.burst
        )

    def describe(self) -> str:
        limit = (
            f"{self.rate_limit:g} calls/s (bucket of {self.effective_burst}), "
            "ThrottlingException beyond"
            if self.rate_limit
            else "no rate limit"
        )
        return f"{self.latency * 1000:g} ms latency per call, {limit}"


REALISTIC = Profile()


@dataclass(frozen=True)
class Stats:
    """Median, minimum and maximum of repeated measurements."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            raise ValueError("Stats need at least one value")
        return cls(tuple(values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def format(self, unit: str = "", digits: int = 2) -> str:
        """``median (min-max)``, or the single value when there was one run."""
        median = f"{self.median:.{digits}f}{unit}"
        if len(self.values) == 1:
            return median
        return f"{median} ({self.low:.{digits}f}-{self.high:.{digits}f})"


@dataclass
class CallCount:
    """Calls the emulator saw during one measurement, split by operation."""

    served: Counter[str] = field(default_factory=Counter)
    throttled: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    @property
    def total_served(self) -> int:
        return sum(self.served.values())

    @property
    def total_throttled(self) -> int:
        return sum(self.throttled.values())

    @classmethod
    def from_log(cls) -> CallCount:
        """Read the emulator's call log: served calls, throttled calls and other errors."""
        count = cls()
        for record in list(moto_redshift_serverless.call_log.records):
            if record.error_code is None:
                count.served[record.operation] += 1
            elif record.error_code == "ThrottlingException":
                count.throttled[record.operation] += 1
            else:
                count.failed[record.operation] += 1
                # A refused call still costs the service a request (and a token).
                count.served[record.operation] += 1
        return count


def use_fake_credentials() -> None:
    """Make sure nothing here can reach a real account or inherit a caller's retry settings."""
    for name in _CLEARED_VARIABLES:
        os.environ.pop(name, None)
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"  # noqa: S105 - not a secret
    os.environ["AWS_DEFAULT_REGION"] = REGION
    os.environ["AWS_REGION"] = REGION
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def use_function_environment() -> None:
    """The functions' configuration as the template sets it."""
    os.environ["ROLE_ARN"] = SCHEDULER_ROLE_ARN
    os.environ["DEST_REGION"] = DESTINATION_REGION
    os.environ["LOG_LEVEL"] = "WARNING"
    for name in ("SCHED", "RETENTION_PERIOD", "DEST_KMS_KEY_ID", "COPY_RETENTION_PERIOD"):
        os.environ.pop(name, None)


@contextmanager
def emulated_world(profile: Profile | None = None) -> Iterator[RedshiftServerlessBackend]:
    """A fresh emulated account (every moto service mocked), faults off until ``profile``
    is applied by the caller; everything is reset on the way out."""
    use_fake_credentials()
    moto_redshift_serverless.register()
    try:
        with mock_aws():
            yield moto_redshift_serverless.get_backend(DEFAULT_ACCOUNT_ID, REGION)
    finally:
        moto_redshift_serverless.reset()


@dataclass(frozen=True)
class Population:
    """The namespaces a sweep benchmark starts from."""

    namespaces: tuple[str, ...]
    uncovered: tuple[str, ...]

    @property
    def covered(self) -> int:
        return len(self.namespaces) - len(self.uncovered)


def namespace_name(index: int) -> str:
    return f"analytics-{index:04d}"


def populate(backend: RedshiftServerlessBackend, count: int) -> Population:
    """``count`` AVAILABLE namespaces, each with a workgroup; every other one (the odd
    indexes) without a schedule, the others with a tool-owned scheduled action and copy
    configuration. Written straight into the backend, so the call log stays empty."""
    uncovered: list[str] = []
    names: list[str] = []
    for index in range(count):
        name = namespace_name(index)
        names.append(name)
        backend.create_namespace({"namespaceName": name})
        backend.create_workgroup({"workgroupName": f"wg-{index:04d}", "namespaceName": name})
        if index % 2:
            uncovered.append(name)
            continue
        backend.create_scheduled_action(_scheduled_action_request(name))
        backend.create_snapshot_copy_configuration(
            {
                "namespaceName": name,
                "destinationRegion": DESTINATION_REGION,
                "snapshotRetentionPeriod": 7,
            }
        )
    return Population(tuple(names), tuple(uncovered))


def _scheduled_action_request(name: str) -> dict[str, Any]:
    return {
        "scheduledActionName": f"snapshot-{name}",
        "namespaceName": name,
        "roleArn": SCHEDULER_ROLE_ARN,
        "schedule": {"cron": "cron(0 0,8,16 * * ? *)"},
        "targetAction": {
            "createSnapshot": {
                "namespaceName": name,
                "snapshotNamePrefix": name,
                "retentionPeriod": 7,
            }
        },
        "enabled": True,
        "scheduledActionDescription": MARKER,
    }


def uncovered_after(backend: RedshiftServerlessBackend, population: Population) -> list[str]:
    """Namespaces of the population that still have no scheduled action or no copy."""
    with_action = {action.namespace_name for action in backend.scheduled_actions.values()}
    with_copy = {c.namespace_name for c in backend.snapshot_copy_configurations.values()}
    return [
        name for name in population.namespaces if name not in with_action or name not in with_copy
    ]


def emulator_client(**config: Any) -> RedshiftServerlessClient:
    """A plain boto3 client for the emulated service (the SDK's defaults unless ``config``)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "redshift-serverless", region_name=REGION, config=Config(**config) if config else None
    )


class Stopwatch:
    """Wall time of a block, in seconds: ``with Stopwatch() as watch: …; watch.seconds``."""

    def __enter__(self) -> Stopwatch:
        self.seconds = 0.0
        self._started = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self._started


_warmed_up = False


def warm_up() -> None:
    """Pay the emulator's one-time costs (moto imports its request machinery on the first
    call of a process) before anything is timed: one small sweep and one old-tool backfill."""
    global _warmed_up
    if _warmed_up:
        return

    from bench.baseline import backfill
    from custom_resource.aws import redshift_serverless_client
    from event_listener.config import ListenerConfig
    from event_listener.sweep import sweep

    use_function_environment()
    with emulated_world() as backend:
        populate(backend, 4)
        config = ListenerConfig.from_environ(os.environ)
        sweep(
            redshift_serverless_client(REGION),
            config.defaults,
            config.sweep,
            opt_out_tag=config.opt_out_tag,
        )
    with emulated_world() as backend:
        populate(backend, 4)
        backfill(
            emulator_client(), role_arn=SCHEDULER_ROLE_ARN, destination_region=DESTINATION_REGION
        )
    _warmed_up = True
