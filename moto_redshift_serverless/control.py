"""The knobs of the emulated world: clock, fault injection, switches and the call log."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


class EmulatedClock:
    """The emulator's notion of now: follows real time until frozen, then moves only on advance().

    advance() fires the scheduled actions that fall due on the way, in time order, across every
    account and region; the callback doing so is installed by the package on register().
    """

    def __init__(self) -> None:
        self._frozen_at: datetime | None = None
        self._lock = threading.RLock()
        self.on_advance: Callable[[datetime, datetime], None] | None = None

    def now(self) -> datetime:
        """Return the emulated time as an aware UTC datetime."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
        return datetime.now(UTC)

    def freeze(self, at: datetime | None = None) -> None:
        """Stop the clock at `at` (default: the current time); naive datetimes are taken as UTC."""
        with self._lock:
            moment = at if at is not None else self.now()
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            self._frozen_at = moment.astimezone(UTC)

    def advance(self, delta: timedelta | float) -> datetime:
        """Move the clock forward by `delta` (seconds or timedelta), firing what falls due.

        Freezes the clock if it was following real time. Returns the new time.
        """
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        if step < timedelta(0):
            raise ValueError(f"the clock only moves forward, got delta={step}")

        with self._lock:
            start = self.now()
            target = start + step
            if self.on_advance is not None:
                self.on_advance(start, target)
            self._frozen_at = target
            return target

    def set(self, moment: datetime) -> None:
        """Move the frozen clock to `moment` without firing anything (used while firing)."""
        with self._lock:
            self._frozen_at = moment

    def reset(self) -> None:
        """Follow real time again."""
        with self._lock:
            self._frozen_at = None


class FaultInjector:
    """Per-call latency, a token-bucket rate limit and random internal errors; off by default."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def configure(
        self,
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        rate_limit: float | None = None,
        burst: int | None = None,
        internal_error_rate: float = 0.0,
        seed: int | None = None,
        operations: Collection[str] | None = None,
    ) -> None:
        """Replace the fault configuration.

        latency/jitter: seconds added to every affected call (jitter uniformly in [0, jitter]).
        rate_limit: tokens per second of a token bucket holding `burst` tokens (default: one
        second's worth, at least 1); a call finding the bucket empty answers ThrottlingException.
        internal_error_rate: probability in [0, 1] of answering InternalServerException.
        operations: operation names affected (default: all).
        """
        if latency < 0 or jitter < 0:
            raise ValueError(f"latency and jitter must be >= 0, got {latency}, {jitter}")
        if not 0.0 <= internal_error_rate <= 1.0:
            raise ValueError(f"internal_error_rate must be in [0, 1], got {internal_error_rate}")
        if rate_limit is not None and rate_limit <= 0:
            raise ValueError(f"rate_limit must be > 0 or None, got {rate_limit}")

        with self._lock:
            self.latency = latency
            self.jitter = jitter
            self.rate_limit = rate_limit
            self.burst = burst if burst is not None else max(1, int(rate_limit or 1))
            self.internal_error_rate = internal_error_rate
            self.operations = frozenset(operations) if operations is not None else None
            # Reproducible chaos for tests, not cryptography.
            self._random = random.Random(seed)  # noqa: S311
            self._tokens = float(self.burst)
            self._refilled_at = time.monotonic()

    def reset(self) -> None:
        """Turn every fault off."""
        self.configure()

    def delay(self, operation: str) -> float:
        """Seconds this call should be delayed."""
        with self._lock:
            if not self._affects(operation) or (self.latency == 0 and self.jitter == 0):
                return 0.0
            return self.latency + self._random.uniform(0.0, self.jitter)

    def fault_for(self, operation: str) -> str | None:
        """The error code this call should answer with, or None to serve it."""
        with self._lock:
            if not self._affects(operation):
                return None

            if self.rate_limit is not None:
                now = time.monotonic()
                elapsed = now - self._refilled_at
                self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate_limit)
                self._refilled_at = now
                if self._tokens < 1.0:
                    return "ThrottlingException"
                self._tokens -= 1.0

            if self.internal_error_rate and self._random.random() < self.internal_error_rate:
                return "InternalServerException"
            return None

    def _affects(self, operation: str) -> bool:
        return self.operations is None or operation in self.operations


@dataclass
class EmulatorSettings:
    """Switches for behaviours that differ between AWS versions or are unverified."""

    # ListScheduledActions answers plain name strings, as botocore 1.33-1.34 modelled it.
    legacy_list_scheduled_actions: bool = False
    # None accepts bare, "(…)" and "cron(…)"; "bare" | "parens" | "cron" insists on one form.
    cron_wire_format: str | None = None

    def reset(self) -> None:
        """Back to the defaults."""
        self.legacy_list_scheduled_actions = False
        self.cron_wire_format = None


@dataclass(frozen=True)
class CallRecord:
    """One call the emulator served (or refused)."""

    operation: str
    account_id: str
    region: str
    error_code: str | None
    time: datetime


@dataclass
class CallLog:
    """Every call served, in order."""

    records: list[CallRecord] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def append(self, record: CallRecord) -> None:
        with self._lock:
            self.records.append(record)

    def clear(self) -> None:
        with self._lock:
            self.records.clear()

    def counts(self) -> Counter[str]:
        """Number of calls per operation name."""
        with self._lock:
            return Counter(record.operation for record in self.records)


# One emulated world per process, shared by every account and region.
clock = EmulatedClock()
faults = FaultInjector()
settings = EmulatorSettings()
call_log = CallLog()
