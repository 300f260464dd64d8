"""Namespace tags -> opt-out and overrides of the default spec.

A namespace tagged `<prefix>=off` is left alone. Tags `<prefix>:schedule`,
`<prefix>:retention-period`, `<prefix>:destination-region` and `<prefix>:copy-retention-period`
override the defaults for that namespace. The prefix is the opt-out tag key
(`snapshot-schedule` unless `OPT_OUT_TAG` says otherwise).

Overrides are all or nothing: if any of them is unusable, the namespace gets the plain defaults
and the problem is reported, so a namespace never runs on a half-applied set of tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from custom_resource.errors import SpecError
from custom_resource.spec import Defaults, Owner, ScheduleSpec, build_spec

DEFAULT_OPT_OUT_TAG = "snapshot-schedule"

# Tag suffix -> the ScheduleSpec field it overrides.
OVERRIDE_FIELDS: Mapping[str, str] = {
    "schedule": "schedule",
    "retention-period": "retention_period",
    "destination-region": "destination_region",
    "copy-retention-period": "copy_retention_period",
}


@dataclass(frozen=True)
class TagSettings:
    """What a namespace's tags ask for."""

    opted_out: bool
    overrides: Mapping[str, str]
    field_names: Mapping[str, str]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamespaceSpec:
    """The spec to ensure for a namespace, and the tag problems that made it fall back."""

    spec: ScheduleSpec
    problems: tuple[str, ...] = ()


def tags_from_api(tag_list: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """ListTagsForResource's `[{"key": …, "value": …}]` as a plain dict."""
    return {str(tag["key"]): str(tag.get("value", "")) for tag in tag_list if "key" in tag}


def read_tag_settings(
    tags: Mapping[str, str], opt_out_tag: str = DEFAULT_OPT_OUT_TAG
) -> TagSettings:
    """Read opt-out and overrides from a namespace's tags; never raises.

    Unknown `<prefix>:…` keys and an opt-out tag valued neither `off` nor `on` are problems:
    reported, and the namespace falls back to the defaults (it is not opted out).
    """
    problems: list[str] = []

    opt_out_value = tags.get(opt_out_tag)
    opted_out = False
    if opt_out_value is not None:
        word = opt_out_value.strip().lower()
        if word == "off":
            opted_out = True
        elif word != "on":
            problems.append(f"tag {opt_out_tag} must be 'off' or 'on', got {opt_out_value!r}")

    overrides: dict[str, str] = {}
    field_names: dict[str, str] = {}
    prefix = f"{opt_out_tag}:"
    for key in sorted(tags):
        if not key.startswith(prefix):
            continue

        suffix = key[len(prefix) :]
        spec_field = OVERRIDE_FIELDS.get(suffix)
        if spec_field is None:
            accepted = ", ".join(prefix + name for name in OVERRIDE_FIELDS)
            problems.append(f"tag {key} is not a known override; accepted: {accepted}")
            continue

        overrides[spec_field] = tags[key]
        field_names[spec_field] = f"tag {key}"

    return TagSettings(opted_out, overrides, field_names, tuple(problems))


def build_namespace_spec(
    namespace_name: str, defaults: Defaults, settings: TagSettings, *, region: str | None = None
) -> NamespaceSpec:
    """The listener-owned spec for a namespace: defaults plus its tag overrides.

    ``region`` is the namespace's own region: a destination-region tag naming it is a problem
    like any other bad override. Never half-applies: if any tag is unusable, returns the plain
    defaults with the problems. Raises SpecError only if the defaults themselves do not make a
    valid spec for this name in this region.
    """
    owner = Owner.listener()
    if settings.problems:
        return NamespaceSpec(_plain_defaults(namespace_name, defaults, region), settings.problems)

    try:
        spec = build_spec(
            namespace_name,
            defaults,
            owner,
            overrides=settings.overrides,
            field_names=settings.field_names,
            region=region,
        )
    except SpecError as exc:
        return NamespaceSpec(_plain_defaults(namespace_name, defaults, region), (str(exc),))

    return NamespaceSpec(spec)


def _plain_defaults(namespace_name: str, defaults: Defaults, region: str | None) -> ScheduleSpec:
    return build_spec(namespace_name, defaults, Owner.listener(), region=region)
