"""Constraints of the service model that botocore does not check on the client side.

Messages follow the wording AWS JSON services use for model constraints
("1 validation error detected: Value ... at '<field>' failed to satisfy constraint: ...").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Sequence
from functools import cache
from typing import Any, TypeVar

import botocore.session
from botocore.model import ListShape, Shape, StructureShape

from .exceptions import InvalidPaginationException, ValidationException

NAME_PATTERN = r"^[a-z0-9-]+$"
RETENTION_MIN, RETENTION_MAX = 1, 3653
MAX_RESULTS_LIMIT = 100
DEFAULT_PAGE_SIZE = 100

T = TypeVar("T")


def _constraint_error(field: str, value: object, constraint: str) -> ValidationException:
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
        f"constraint: {constraint}"
    )


def check_string(
    field: str,
    value: str | None,
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> None:
    """Raise ValidationException when `value` breaks the field's length or pattern."""
    if value is None:
        return
    if min_length is not None and len(value) < min_length:
        raise _constraint_error(
            field, value, f"Member must have length greater than or equal to {min_length}"
        )
    if max_length is not None and len(value) > max_length:
        raise _constraint_error(
            field, value, f"Member must have length less than or equal to {max_length}"
        )
    if pattern is not None and re.fullmatch(pattern, value) is None:
        raise _constraint_error(
            field, value, f"Member must satisfy regular expression pattern: {pattern}"
        )


def check_name(field: str, value: str | None, max_length: int = 64) -> None:
    """Names of namespaces, workgroups (3-64) and scheduled actions (3-60): [a-z0-9-]."""
    check_string(field, value, min_length=3, max_length=max_length, pattern=NAME_PATTERN)


def check_enum(field: str, value: str | None, accepted: Sequence[str]) -> None:
    """Raise ValidationException unless `value` is one of `accepted`."""
    if value is not None and value not in accepted:
        raise _constraint_error(
            field, value, f"Member must satisfy enum value set: [{', '.join(accepted)}]"
        )


def check_enum_list(field: str, values: Collection[str] | None, accepted: Sequence[str]) -> None:
    for value in values or ():
        check_enum(field, value, accepted)


def check_retention(field: str, value: int | None) -> None:
    """Retention periods are -1 (indefinite) or 1-3653 days."""
    if value is None or value == -1 or RETENTION_MIN <= value <= RETENTION_MAX:
        return
    raise ValidationException(
        f"Invalid value for {field}: {value}. Accepted values are -1 (retain indefinitely) "
        f"or {RETENTION_MIN} to {RETENTION_MAX} days."
    )


@cache
def partition_regions(partition: str) -> frozenset[str]:
    """The regions of `partition` where Redshift Serverless has an endpoint.

    Read from the endpoint data bundled with botocore (no network), the same list moto creates
    backends for.
    """
    session = botocore.session.get_session()
    return frozenset(session.get_available_regions("redshift-serverless", partition))


def check_region(field: str, value: str, partition: str) -> None:
    """Raise ValidationException unless `value` is a Redshift Serverless region of `partition`."""
    if value not in partition_regions(partition):
        raise ValidationException(
            f"Invalid value for {field}: {value}. It is not a region of partition {partition} "
            "where Redshift Serverless is available."
        )


def check_max_results(value: int | None) -> int:
    """Return the page size: `maxResults` (1-100) or the default."""
    if value is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= value <= MAX_RESULTS_LIMIT:
        raise _constraint_error(
            "maxResults",
            value,
            f"Member must have value between 1 and {MAX_RESULTS_LIMIT}",
        )
    return value


def check_tags(field: str, tags: Sequence[dict[str, str]] | None) -> None:
    for tag in tags or ():
        check_string(f"{field}.member.key", tag.get("key"), min_length=1, max_length=128)
        check_string(f"{field}.member.value", tag.get("value"), max_length=256)


def check_against_model(shape: Shape, value: Any, path: str = "") -> None:
    """Check `value` against the model constraints botocore leaves to the service.

    Covers string `max` lengths, `pattern`s and enums, numeric `max` values and list `max`
    lengths, recursively; raises ValidationException naming the first failing field.
    """
    if value is None:
        return
    metadata = shape.metadata
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, member in shape.members.items():
            check_against_model(member, value.get(name), f"{path}.{name}" if path else name)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        if "max" in metadata and len(value) > metadata["max"]:
            raise _constraint_error(
                path, value, f"Member must have length less than or equal to {metadata['max']}"
            )
        for item in value:
            check_against_model(shape.member, item, f"{path}.member")
    elif shape.type_name == "string" and isinstance(value, str):
        check_string(path, value, max_length=metadata.get("max"))
        if "pattern" in metadata and _pattern_fails(metadata["pattern"], value):
            raise _constraint_error(
                path,
                value,
                f"Member must satisfy regular expression pattern: {metadata['pattern']}",
            )
        check_enum(path, value, metadata.get("enum") or [value])
    elif shape.type_name in ("integer", "long") and isinstance(value, int):
        limit = metadata.get("max")
        if limit is not None and value > limit:
            raise _constraint_error(
                path, value, f"Member must have value less than or equal to {limit}"
            )


def _pattern_fails(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is None
    except re.error:
        # The model's ECMAScript patterns are not all valid Python regular expressions.
        return False


def paginate(
    items: Sequence[T],
    key_of: Any,
    *,
    scope: str,
    next_token: str | None,
    max_results: int | None,
    invalid_token_error: type[Exception] = InvalidPaginationException,
) -> tuple[list[T], str | None]:
    """One page of `items` (sorted by `key_of`) after the position `next_token` encodes.

    Tokens are opaque, bound to `scope` (the operation and its filters); a token this listing
    did not hand out raises `invalid_token_error`.
    """
    page_size = check_max_results(max_results)
    ordered = sorted(items, key=key_of)

    start = 0
    if next_token is not None:
        after = _decode_token(next_token, scope, invalid_token_error)
        start = next((i for i, item in enumerate(ordered) if key_of(item) > after), len(ordered))

    page = ordered[start : start + page_size]
    has_more = start + page_size < len(ordered)
    token = _encode_token(scope, key_of(page[-1])) if has_more and page else None
    return page, token


def _encode_token(scope: str, after: str) -> str:
    raw = json.dumps({"scope": scope, "after": after}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_token(token: str, scope: str, error: type[Exception]) -> str:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise error(f"Invalid nextToken: {token!r}.") from exc

    if not isinstance(payload, dict) or payload.get("scope") != scope:
        raise error(f"Invalid nextToken: {token!r}.")
    after = payload.get("after")
    if not isinstance(after, str):
        raise error(f"Invalid nextToken: {token!r}.")
    return after
