"""Concurrent callers (a sweep's worker threads) against one emulated account and region."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

import moto_redshift_serverless

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

WORKERS = 8
NAMESPACES = 96


@pytest.fixture
def _frequent_thread_switches() -> Iterator[None]:
    # Switch threads far more often than the default 5 ms, so that races show up reliably.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("_frequent_thread_switches")
def test_concurrent_writes_and_lists_lose_nothing_and_raise_nothing(
    redshift_serverless: RedshiftServerlessClient,
) -> None:
    # given namespaces created from one thread
    names = [f"ns-{index:03d}" for index in range(NAMESPACES)]
    for name in names:
        redshift_serverless.create_namespace(namespaceName=name)
    moto_redshift_serverless.call_log.clear()

    # when workers create copy configurations while others list them, with no latency to
    # spread the calls out
    def copy_and_list(name: str) -> int:
        redshift_serverless.create_snapshot_copy_configuration(
            namespaceName=name, destinationRegion="us-west-2"
        )
        listed = redshift_serverless.list_snapshot_copy_configurations(maxResults=100)
        return len(listed["snapshotCopyConfigurations"])

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        seen = list(pool.map(copy_and_list, names))

    # then every call succeeded and every configuration exists exactly once
    paginator = redshift_serverless.get_paginator("list_snapshot_copy_configurations")
    configurations = [
        configuration
        for page in paginator.paginate()
        for configuration in page["snapshotCopyConfigurations"]
    ]
    assert sorted(c["namespaceName"] for c in configurations) == names
    assert all(1 <= count <= 100 for count in seen)
    errors = [r for r in moto_redshift_serverless.call_log.records if r.error_code is not None]
    assert errors == []
