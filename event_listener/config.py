"""The listener's configuration, read from the environment and validated in one place."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from custom_resource.errors import SpecError
from custom_resource.spec import Defaults
from event_listener.events import parse_flag
from event_listener.sweep import SweepOptions
from event_listener.tags import DEFAULT_OPT_OUT_TAG

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TAG_KEY = re.compile(r"[A-Za-z0-9_.:/=+@-]{1,100}")


@dataclass(frozen=True)
class ListenerConfig:
    """Everything the listener reads from its environment."""

    defaults: Defaults
    opt_out_tag: str = DEFAULT_OPT_OUT_TAG
    wait_attempts: int = 20
    wait_interval_seconds: float = 30.0
    sweep: SweepOptions = field(default_factory=SweepOptions)
    sweep_concurrency: int = 4
    deadline_margin_seconds: float = 10.0
    log_level: str = "INFO"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ListenerConfig:
        """Read and validate the listener's variables (see the table in the docs).

        Raises SpecError naming the first variable that is missing or invalid.
        """
        defaults = Defaults.from_environ(environ)

        opt_out_tag = environ.get("OPT_OUT_TAG", "").strip() or DEFAULT_OPT_OUT_TAG
        if not TAG_KEY.fullmatch(opt_out_tag):
            raise SpecError(
                "OPT_OUT_TAG", opt_out_tag, "a tag key of 1-100 letters, digits and _.:/=+@-"
            )

        log_level = environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            raise SpecError("LOG_LEVEL", log_level, "one of " + ", ".join(LOG_LEVELS))

        return cls(
            defaults=defaults,
            opt_out_tag=opt_out_tag,
            wait_attempts=int(_number(environ, "WAIT_ATTEMPTS", 20, 1, 1000, integer=True)),
            wait_interval_seconds=_number(environ, "WAIT_INTERVAL_SECONDS", 30.0, 0, 900),
            sweep=SweepOptions(
                dry_run=_flag(environ, "SWEEP_DRY_RUN"),
                repair=_flag(environ, "SWEEP_REPAIR"),
                prune=_flag(environ, "SWEEP_PRUNE"),
            ),
            sweep_concurrency=int(_number(environ, "SWEEP_CONCURRENCY", 4, 1, 64, integer=True)),
            deadline_margin_seconds=_number(environ, "DEADLINE_MARGIN_SECONDS", 10.0, 0, 300),
            log_level=log_level,
        )

    def apply_log_level(self) -> None:
        """Set the level of the product's loggers (the Lambda runtime owns the handlers)."""
        level = getattr(logging, self.log_level)
        for name in ("event_listener", "custom_resource"):
            logging.getLogger(name).setLevel(level)


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "")
    value = parse_flag(raw)
    if value is None:
        raise SpecError(name, raw, "'true' or 'false'")
    return value


def _number(
    environ: Mapping[str, str],
    name: str,
    default: float,
    low: float,
    high: float,
    *,
    integer: bool = False,
) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default

    kind = "a whole number" if integer else "a number"
    accepted = f"{kind} from {low:g} to {high:g}"
    try:
        value = int(raw) if integer else float(raw)
    except ValueError as exc:
        raise SpecError(name, raw, accepted) from exc
    if not low <= value <= high:
        raise SpecError(name, raw, accepted)
    return value
