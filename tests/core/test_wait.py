"""wait_until_available against the emulator, with an injected sleep and clock."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

import moto_redshift_serverless
from custom_resource.errors import NamespaceNotFound, NamespaceNotReady
from custom_resource.reconcile import wait_until_available
from moto_redshift_serverless import RedshiftServerlessBackend

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient


class FakeTime:
    """A monotonic clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_wait_until_available_returns_once_modifying_ends(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, namespace: str
) -> None:
    # given a namespace that reports MODIFYING for two reads
    emulator.set_namespace_status(namespace, "MODIFYING", reads=2)
    time = FakeTime()

    # when waited on with the users' defaults
    found = wait_until_available(client, namespace, sleep=time.sleep, clock=time.clock)

    # then it is returned after two intervals of 30 s
    assert found["namespaceName"] == namespace
    assert found["status"] == "AVAILABLE"
    assert time.slept == [30.0, 30.0]
    assert moto_redshift_serverless.call_log.counts()["GetNamespace"] == 3


def test_wait_until_available_gives_up_after_the_attempts(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, namespace: str
) -> None:
    # given a namespace that never leaves MODIFYING
    emulator.set_namespace_status(namespace, "MODIFYING")
    time = FakeTime()

    # when waited on for three attempts
    with pytest.raises(NamespaceNotReady) as raised:
        wait_until_available(
            client, namespace, attempts=3, interval=0.5, sleep=time.sleep, clock=time.clock
        )

    # then it fails after three reads and two sleeps, naming the status
    assert str(raised.value) == (
        "Namespace 'analytics' is still MODIFYING after 3 attempt(s); expected AVAILABLE"
    )
    assert (raised.value.status, raised.value.attempts) == ("MODIFYING", 3)
    assert time.slept == [0.5, 0.5]


def test_wait_until_available_respects_the_deadline(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, namespace: str
) -> None:
    # given a namespace that never leaves MODIFYING and 100 s left
    emulator.set_namespace_status(namespace, "MODIFYING")
    time = FakeTime()
    deadline = time.now + 100

    # when waited on with the default 20 x 30 s
    with pytest.raises(NamespaceNotReady) as raised:
        wait_until_available(
            client, namespace, deadline=deadline, sleep=time.sleep, clock=time.clock
        )

    # then it stops before a sleep would pass the deadline
    assert raised.value.attempts == 4
    assert time.slept == [30.0, 30.0, 30.0]
    assert time.now <= deadline


def test_wait_until_available_reports_a_namespace_deleted_mid_wait(
    client: RedshiftServerlessClient,
    redshift_serverless: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: str,
) -> None:
    # given a namespace that is deleted while we wait
    emulator.set_namespace_status(namespace, "MODIFYING", reads=1)

    def delete_then_sleep(_: float) -> None:
        redshift_serverless.delete_namespace(namespaceName=namespace)

    # when waited on
    with pytest.raises(NamespaceNotFound) as raised:
        wait_until_available(client, namespace, interval=0.01, sleep=delete_then_sleep)

    # then the outcome is not-found, not a timeout
    assert raised.value.namespace_name == namespace
    assert str(raised.value) in (
        "Namespace 'analytics' does not exist",
        "Namespace 'analytics' is being deleted",
    )


def test_wait_until_available_stops_on_deleting(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, namespace: str
) -> None:
    # given a namespace being deleted
    emulator.set_namespace_status(namespace, "DELETING")
    time = FakeTime()

    # when waited on
    with pytest.raises(NamespaceNotFound) as raised:
        wait_until_available(client, namespace, sleep=time.sleep, clock=time.clock)

    # then it does not wait for something that will not come
    assert str(raised.value) == "Namespace 'analytics' is being deleted"
    assert time.slept == []


def test_wait_until_available_reports_a_missing_namespace(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend
) -> None:
    # given no namespace

    # when waited on
    with pytest.raises(NamespaceNotFound) as raised:
        wait_until_available(client, "missing", sleep=FakeTime().sleep)

    # then it is not found
    assert str(raised.value) == "Namespace 'missing' does not exist"


def test_wait_until_available_tolerates_and_logs_unknown_statuses(
    client: RedshiftServerlessClient,
    emulator: RedshiftServerlessBackend,
    namespace: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a namespace reporting a status outside the documented enum
    emulator.set_namespace_status(namespace, "KMS_KEY_INACCESSIBLE", reads=3)
    time = FakeTime()

    # when waited on
    with caplog.at_level(logging.WARNING, logger="custom_resource.reconcile"):
        found = wait_until_available(client, namespace, sleep=time.sleep, clock=time.clock)

    # then it kept waiting and logged the status once
    assert found["status"] == "AVAILABLE"
    assert len(time.slept) == 3
    [record] = caplog.records
    assert record.getMessage() == (
        "Namespace analytics reports undocumented status KMS_KEY_INACCESSIBLE; "
        "waiting for AVAILABLE"
    )
    assert record.__dict__["namespace_name"] == namespace


def test_wait_until_available_absorbs_throttling(
    client: RedshiftServerlessClient, emulator: RedshiftServerlessBackend, namespace: str
) -> None:
    # given a throttling service and a namespace busy for a few reads
    emulator.set_namespace_status(namespace, "MODIFYING", reads=4)
    moto_redshift_serverless.faults.configure(rate_limit=4, burst=1, seed=3)
    time = FakeTime()

    # when waited on
    found = wait_until_available(client, namespace, sleep=time.sleep, clock=time.clock)

    # then the client's retries absorbed the throttling
    assert found["status"] == "AVAILABLE"
    assert len(time.slept) == 4
    log = moto_redshift_serverless.call_log.records
    assert any(record.error_code == "ThrottlingException" for record in log)
