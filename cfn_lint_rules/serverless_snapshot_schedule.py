"""cfn-lint rule: the properties of Custom::ServerlessSnapshotSchedule.

cfn-lint accepts any property on a custom resource; this rule checks them against
``serverless_snapshot_schedule.schema.json`` (next to this file), intrinsic functions included.
Load it with ``cfn-lint --append-rules <path to cfn_lint_rules>`` or ``append_rules`` in
``.cfnlintrc``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from cfnlint.jsonschema import ValidationError, Validator
from cfnlint.rules.jsonschema.CfnLintJsonSchema import CfnLintJsonSchema

SCHEMA_FILE = Path(__file__).with_name("serverless_snapshot_schedule.schema.json")
RESOURCE_TYPE = "Custom::ServerlessSnapshotSchedule"


def load_schema() -> dict[str, Any]:
    """The JSON schema of the type's properties."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


class ServerlessSnapshotScheduleProperties(CfnLintJsonSchema):  # type: ignore[misc]
    """Checks every Custom::ServerlessSnapshotSchedule against the type's schema."""

    id = "E9101"
    shortdesc = "Custom::ServerlessSnapshotSchedule properties are valid"
    description = (
        "Validates the properties of Custom::ServerlessSnapshotSchedule: required and unknown "
        "properties, namespace and action names, schedule, retention periods, role and region."
    )
    tags: ClassVar[list[str]] = ["resources", "custom", "redshift-serverless"]

    def __init__(self) -> None:
        super().__init__(keywords=[f"Resources/{RESOURCE_TYPE}/Properties"], all_matches=True)
        self._property_schema = load_schema()

    def validate(
        self, validator: Validator, keywords: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        for error in super().validate(validator, keywords, instance, self._property_schema):
            yield self._explained(error)

    def _explained(self, error: ValidationError) -> ValidationError:
        """Replace the schema-speak of 'not' with what the property accepts."""
        if error.validator == "not" and error.path:
            name = str(error.path[0])
            accepted = self._property_schema["properties"].get(name, {}).get("description", "")
            error.message = f"{name} must not be {error.instance!r}: {accepted}"
        return error
