"""Fixtures of the core's tests: the product's own client against the emulator, a namespace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from custom_resource.aws import redshift_serverless_client
from custom_resource.spec import Defaults, Owner, ScheduleSpec, build_spec
from moto_redshift_serverless import RedshiftServerlessBackend

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

ROLE = "arn:aws:iam::123456789012:role/snapshot-scheduler"
NAMESPACE = "analytics"
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
DEFAULTS = Defaults(role_arn=ROLE, destination_region="eu-central-1")
STACK_OWNER = Owner.stack("prod-data", "AnalyticsSchedule")

MakeSpec = Callable[..., ScheduleSpec]


@pytest.fixture
def client(emulator: RedshiftServerlessBackend) -> RedshiftServerlessClient:
    """The product's own client (standard retries) pointed at the emulator in eu-west-1."""
    return redshift_serverless_client("eu-west-1")


@pytest.fixture
def namespace(redshift_serverless: RedshiftServerlessClient) -> str:
    """An AVAILABLE namespace named analytics."""
    redshift_serverless.create_namespace(namespaceName=NAMESPACE)
    return NAMESPACE


@pytest.fixture
def make_spec() -> MakeSpec:
    """build_spec for the analytics namespace with CloudFormation-style string overrides."""

    def make(
        owner: Owner = STACK_OWNER, namespace_name: str = NAMESPACE, **overrides: str
    ) -> ScheduleSpec:
        return build_spec(namespace_name, DEFAULTS, owner, overrides=overrides, now=NOW)

    return make
