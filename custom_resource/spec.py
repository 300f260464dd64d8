"""What one namespace should have: the schedule spec, its defaults, its owner and its marker.

Everything here is pure: values are validated and converted before any AWS call, and every
failure is a SpecError naming the field as the user wrote it, the value and what is accepted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from custom_resource.cron import DEFAULT_SCHEDULE, CronExpression, parse_cron
from custom_resource.errors import SpecError

MARKER_PREFIX = "Managed by serverless-snapshot-schedule"
LISTENER_OWNER = "listener"
NO_COPY = "none"

NAMESPACE_NAME = re.compile(r"^[a-z0-9-]{3,64}$")
SCHEDULED_ACTION_NAME = re.compile(r"^[a-z0-9-]{3,60}$")
# NOTE: the API constrains the prefix's length only; what characters the service accepts in
# snapshot names is unverified, so the prefix is held to the namespace name's alphabet.
SNAPSHOT_NAME_PREFIX = re.compile(r"^[a-z0-9-]{1,235}$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
KMS_KEY = re.compile(
    r"^(?:"
    r"(?:mrk-)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"
    r"|(?:mrk-)[0-9a-f]{32}"
    r"|alias/[\w/+=,.@-]{1,250}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:"
    r"(?:key/(?:mrk-)?[0-9a-f-]{32,36}|alias/[\w/+=,.@-]{1,250})"
    r")$"
)
RETENTION_ACCEPTED = "-1 or 1–3653"  # noqa: RUF001 - the en dash reads as a range
WireFormat = Literal["cron", "parens", "bare"]
WIRE_FORMATS: tuple[WireFormat, ...] = ("cron", "parens", "bare")

_SHORT_FORM_LIMIT = 59
_HASH_DIGITS = 8
_OWNER_PART_LIMIT = 64
_MARKER = re.compile(
    r"^" + re.escape(MARKER_PREFIX) + r"; owner=(?P<owner>[^;\s]+); copy=(?P<copy>[a-z0-9-]+)\s*$"
)

FIELD_NAMES = (
    "schedule",
    "role_arn",
    "retention_period",
    "snapshot_name_prefix",
    "enabled",
    "scheduled_action_name",
    "destination_region",
    "destination_kms_key_id",
    "copy_retention_period",
)


@dataclass(frozen=True)
class Owner:
    """Who declared a schedule: the event listener, or one resource of one stack.

    ``value`` is what the marker carries: ``listener`` or ``stack/<stack-name>/<logical-id>``,
    each name shortened with a hash past 64 characters so the marker stays well under the
    256 characters a description allows.
    """

    value: str

    @classmethod
    def listener(cls) -> Owner:
        return cls(LISTENER_OWNER)

    @classmethod
    def stack(cls, stack_name: str, logical_id: str) -> Owner:
        return cls(f"stack/{_owner_part(stack_name)}/{_owner_part(logical_id)}")

    @property
    def is_listener(self) -> bool:
        return self.value == LISTENER_OWNER


@dataclass(frozen=True)
class Marker:
    """The ownership marker read back from a scheduled action's description."""

    owner: str
    copy_region: str | None


@dataclass(frozen=True)
class Schedule:
    """When snapshots are taken: exactly one of a cron expression or a one-off UTC time."""

    cron: CronExpression | None = None
    at: datetime | None = None
    wire_format: WireFormat = "cron"

    def __post_init__(self) -> None:
        if (self.cron is None) == (self.at is None):
            raise ValueError("a Schedule needs exactly one of cron and at")

    def next_invocations(self, after: datetime, count: int = 3) -> list[datetime]:
        """Up to ``count`` invocation times strictly after ``after``, in UTC, computed offline."""
        if self.cron is not None:
            return self.cron.next_invocations(after, count)
        assert self.at is not None  # noqa: S101 - __post_init__ guarantees it
        start = after.replace(tzinfo=UTC) if after.tzinfo is None else after
        return [self.at] if self.at > start and count > 0 else []

    def to_api(self) -> dict[str, Any]:
        """The ``schedule`` union as boto3 expects it, the cron in the configured wire format."""
        if self.cron is None:
            return {"at": self.at}
        bare = self.cron.expression
        wrapped = {"cron": f"cron({bare})", "parens": f"({bare})", "bare": bare}
        return {"cron": wrapped[self.wire_format]}


@dataclass(frozen=True)
class Defaults:
    """What a namespace gets when nothing overrides it, usually read from the environment."""

    role_arn: str
    destination_region: str | None
    schedule: str = DEFAULT_SCHEDULE
    retention_period: int = 7
    destination_kms_key_id: str | None = None
    copy_retention_period: int | None = None  # None: same as the snapshot retention
    enabled: bool = True
    wire_format: WireFormat = "cron"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Defaults:
        """Read SCHED, ROLE_ARN, RETENTION_PERIOD, DEST_REGION, DEST_KMS_KEY_ID,
        COPY_RETENTION_PERIOD and CRON_WIRE_FORMAT; raises SpecError for a missing or bad value.

        ROLE_ARN and DEST_REGION are required; DEST_REGION ``none`` means no copy configuration.
        """
        role_arn = _required(environ, "ROLE_ARN", "an IAM role ARN")
        destination = _required(environ, "DEST_REGION", f"an AWS region name or {NO_COPY!r}")
        schedule = environ.get("SCHED", "").strip() or DEFAULT_SCHEDULE
        copy_retention = environ.get("COPY_RETENTION_PERIOD", "").strip()
        kms_key = environ.get("DEST_KMS_KEY_ID", "").strip()
        wire_format = environ.get("CRON_WIRE_FORMAT", "").strip().lower() or "cron"

        if wire_format not in WIRE_FORMATS:
            raise SpecError("CRON_WIRE_FORMAT", wire_format, "one of cron, parens, bare")
        parse_cron(schedule, field="SCHED")
        return cls(
            role_arn=_role_arn(role_arn, "ROLE_ARN"),
            destination_region=_destination_region(destination, "DEST_REGION"),
            schedule=schedule,
            retention_period=_retention(environ.get("RETENTION_PERIOD", "7"), "RETENTION_PERIOD"),
            destination_kms_key_id=_kms_key(kms_key, "DEST_KMS_KEY_ID") if kms_key else None,
            copy_retention_period=(
                _retention(copy_retention, "COPY_RETENTION_PERIOD") if copy_retention else None
            ),
            wire_format=wire_format,
        )


@dataclass(frozen=True)
class ScheduleSpec:
    """Everything one namespace should have; built and validated by build_spec."""

    namespace_name: str
    schedule: Schedule
    role_arn: str
    retention_period: int
    snapshot_name_prefix: str
    enabled: bool
    scheduled_action_name: str
    destination_region: str | None
    destination_kms_key_id: str | None
    copy_retention_period: int
    owner: Owner = field(default_factory=Owner.listener)

    def description(self) -> str:
        """The ownership marker written into scheduledActionDescription."""
        return marker_text(self.owner, self.destination_region)


def marker_text(owner: Owner, copy_region: str | None) -> str:
    """The marker naming ``owner`` and the copy destination the tool owns (or none)."""
    return f"{MARKER_PREFIX}; owner={owner.value}; copy={copy_region or NO_COPY}"


def parse_marker(description: str | None) -> Marker | None:
    """The marker in a description, or None when the action is not the tool's (foreign)."""
    match = _MARKER.match(description or "")
    if match is None:
        return None
    copy = match.group("copy")
    return Marker(owner=match.group("owner"), copy_region=None if copy == NO_COPY else copy)


def derive_scheduled_action_name(namespace_name: str) -> str:
    """The scheduled action name for a namespace: valid for every legal namespace name, and
    different namespaces never share one (up to collisions of a 32-bit SHA-256 prefix).

    ``snapshot-<namespace>`` when at most 59 characters, otherwise exactly 60 characters:
    ``snapshot-`` + a prefix of the namespace + ``-`` + 8 hex digits of its SHA-256.
    """
    plain = f"snapshot-{namespace_name}"
    if len(plain) <= _SHORT_FORM_LIMIT:
        return plain
    digest = hashlib.sha256(namespace_name.encode()).hexdigest()[:_HASH_DIGITS]
    keep = _SHORT_FORM_LIMIT - len("snapshot-") - _HASH_DIGITS
    return f"snapshot-{namespace_name[:keep]}-{digest}"


def build_spec(
    namespace_name: str,
    defaults: Defaults,
    owner: Owner,
    *,
    overrides: Mapping[str, str] | None = None,
    field_names: Mapping[str, str] | None = None,
    now: datetime | None = None,
    region: str | None = None,
) -> ScheduleSpec:
    """Combine defaults and raw string overrides (keyed by spec field name) into a valid spec.

    ``field_names`` maps a spec field to the name the user wrote (a property or a tag key) so
    errors name it. ``now`` is the reference for "one-off times must be in the future" (default:
    the current time); ``region``, when given, is the source region a copy destination must
    differ from. Raises SpecError for any invalid value; makes no AWS call.
    """
    overrides = overrides or {}
    names = {name: name for name in FIELD_NAMES} | dict(field_names or {})
    unknown = sorted(set(overrides) - set(FIELD_NAMES))
    if unknown:
        raise SpecError("overrides", unknown[0], "one of " + ", ".join(FIELD_NAMES))

    def raw(name: str) -> str | None:
        value = overrides.get(name)
        return None if value is None else value.strip()

    if not NAMESPACE_NAME.match(namespace_name):
        raise SpecError(
            names.get("namespace_name", "namespace_name"),
            namespace_name,
            "3-64 characters of a-z, 0-9 and '-'",
        )

    schedule_text = raw("schedule")
    schedule = parse_schedule(
        defaults.schedule if schedule_text is None else schedule_text,
        field=names["schedule"] if schedule_text is not None else "SCHED",
        wire_format=defaults.wire_format,
        now=now,
    )

    role_text = raw("role_arn")
    role_arn = defaults.role_arn if role_text is None else _role_arn(role_text, names["role_arn"])

    retention_text = raw("retention_period")
    retention = (
        defaults.retention_period
        if retention_text is None
        else _retention(retention_text, names["retention_period"])
    )

    prefix = raw("snapshot_name_prefix") or namespace_name
    if not SNAPSHOT_NAME_PREFIX.match(prefix):
        raise SpecError(
            names["snapshot_name_prefix"], prefix, "1-235 characters of a-z, 0-9 and '-'"
        )

    enabled_text = raw("enabled")
    enabled = defaults.enabled if enabled_text is None else _boolean(enabled_text, names["enabled"])

    action_name = raw("scheduled_action_name") or derive_scheduled_action_name(namespace_name)
    if not SCHEDULED_ACTION_NAME.match(action_name):
        raise SpecError(
            names["scheduled_action_name"], action_name, "3-60 characters of a-z, 0-9 and '-'"
        )

    region_text = raw("destination_region")
    destination = (
        defaults.destination_region
        if region_text is None
        else _destination_region(region_text, names["destination_region"])
    )
    if destination is not None and destination == region:
        raise SpecError(
            names["destination_region"] if region_text is not None else "DEST_REGION",
            destination,
            f"a region other than the namespace's own ({region}), or {NO_COPY!r}",
        )

    kms_text = raw("destination_kms_key_id")
    if kms_text is None:
        kms_key = defaults.destination_kms_key_id
    else:
        kms_key = _kms_key(kms_text, names["destination_kms_key_id"]) if kms_text else None

    copy_text = raw("copy_retention_period")
    if copy_text:
        copy_retention = _retention(copy_text, names["copy_retention_period"])
    elif defaults.copy_retention_period is not None:
        copy_retention = defaults.copy_retention_period
    else:
        copy_retention = retention

    return ScheduleSpec(
        namespace_name=namespace_name,
        schedule=schedule,
        role_arn=role_arn,
        retention_period=retention,
        snapshot_name_prefix=prefix,
        enabled=enabled,
        scheduled_action_name=action_name,
        destination_region=destination,
        destination_kms_key_id=kms_key if destination else None,
        copy_retention_period=copy_retention,
        owner=owner,
    )


def parse_schedule(
    text: str,
    *,
    field: str = "Schedule",
    wire_format: WireFormat = "cron",
    now: datetime | None = None,
) -> Schedule:
    """A cron expression (bare, ``(...)``, ``cron(...)``) that fires after ``now``, or a
    one-off ISO 8601 UTC time (bare or ``at(...)``) that lies after it; raises SpecError."""
    stripped = text.strip()
    at_match = re.fullmatch(r"at\((?P<time>.*)\)", stripped, re.IGNORECASE)
    if at_match is None and not re.match(r"^\d{4}-\d{2}-\d{2}T", stripped):
        cron = parse_cron(stripped, field=field)
        if not cron.next_invocations(now or datetime.now(UTC), 1):
            raise SpecError(
                field, text, "a cron expression that still fires", "it has no invocation after now"
            )
        return Schedule(cron=cron, wire_format=wire_format)

    accepted = "a future ISO 8601 time such as 2030-01-31T04:00:00Z (bare or 'at(...)')"
    try:
        moment = datetime.fromisoformat((at_match.group("time") if at_match else stripped).strip())
    except ValueError as exc:
        raise SpecError(field, text, accepted) from exc
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment <= (now or datetime.now(UTC)):
        raise SpecError(field, text, accepted, "that time has passed")
    return Schedule(at=moment, wire_format=wire_format)


def parse_retention(text: str, *, field: str) -> int:
    """Days as an integer string: -1 (indefinite) or 1-3653; raises SpecError."""
    return _retention(text, field)


def parse_boolean(text: str, *, field: str) -> bool:
    """'true' or 'false', any case; raises SpecError."""
    return _boolean(text, field)


def _required(environ: Mapping[str, str], name: str, accepted: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise SpecError(name, value, f"{accepted} (the variable is required)")
    return value


def _retention(text: str, field: str) -> int:
    stripped = text.strip()
    if not re.fullmatch(r"-?\d{1,5}", stripped):
        raise SpecError(field, text, RETENTION_ACCEPTED)
    days = int(stripped)
    if days != -1 and not 1 <= days <= 3653:
        raise SpecError(field, text, RETENTION_ACCEPTED)
    return days


def _boolean(text: str, field: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise SpecError(field, text, "'true' or 'false'")
    return lowered == "true"


def _role_arn(text: str, field: str) -> str:
    if not ROLE_ARN.match(text):
        raise SpecError(field, text, "an IAM role ARN like arn:aws:iam::123456789012:role/name")
    return text


def _destination_region(text: str, field: str) -> str | None:
    if text.lower() == NO_COPY:
        return None
    if not REGION.match(text):
        raise SpecError(field, text, f"an AWS region name such as eu-central-1, or {NO_COPY!r}")
    return text


def _kms_key(text: str, field: str) -> str:
    if not KMS_KEY.match(text):
        raise SpecError(
            field,
            text,
            "a KMS key id, key ARN, alias name ('alias/...') or alias ARN",
        )
    return text


def _owner_part(name: str) -> str:
    """A stack name or logical id, shortened with a stable hash when longer than 64 chars."""
    if not name or "/" in name or ";" in name or any(c.isspace() for c in name):
        raise SpecError("owner", name, "a stack name or logical id without '/', ';' or spaces")
    if len(name) <= _OWNER_PART_LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH_DIGITS]
    return f"{name[: _OWNER_PART_LIMIT - _HASH_DIGITS - 1]}-{digest}"
