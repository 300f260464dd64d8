"""Every log record of a full lifecycle, at the most verbose level a user can choose, is free of
secrets: no ResponseURL or pre-signed query string, no password-like field, no whole event."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from custom_resource import handler as custom_resource_handler
from moto_redshift_serverless import RedshiftServerlessBackend
from tests.listener.samples import cloudtrail_event
from tests.security.conftest import Listen
from tests.support.cfn_driver import CloudFormationDriver, Stack

LIBRARY_LOGGERS = ("boto", "boto3", "botocore", "urllib3", "crhelper")
# A slow namespace makes the handler hand over to crhelper's polling, which carries the whole
# request (ResponseURL included) through EventBridge: the riskiest path for a leak.
SHORT_TIMEOUT_SECONDS = 5.1
FORBIDDEN = (
    "ResponseURL",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "X-Amz-Algorithm",
    "adminUserPassword",
    "adminPassword",
    "HIDDEN_DUE_TO_SECURITY_REASONS",
    # Fields only a whole event would carry.
    "ResourceProperties",
    "ServiceToken",
    "userIdentity",
    "sourceIPAddress",
    "responseElements",
    "detail-type",
)


def render(record: logging.LogRecord) -> str:
    """Everything a log handler could write for the record: message, extras, traceback."""
    text = logging.Formatter().format(record)
    return text + " " + " ".join(f"{key}={value!r}" for key, value in vars(record).items())


@pytest.fixture
def cold_start(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A new container: library loggers as Python leaves them, and the most verbose LOG_LEVEL."""
    saved = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    custom_resource_handler._helper.cache_clear()
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    yield
    custom_resource_handler._helper.cache_clear()
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_lifecycle_logs_no_secret_and_no_whole_event(
    cold_start: None,
    cfn: CloudFormationDriver,
    listen: Listen,
    emulator: RedshiftServerlessBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    stack = Stack(cfn, "orders-stack")
    emulator.create_namespace({"namespaceName": "orders"})
    emulator.create_namespace({"namespaceName": "sales-analytics"})
    emulator.set_namespace_status("orders", "MODIFYING")

    def available_after_two_polls(poll: int) -> None:
        if poll == 2:
            emulator.set_namespace_status("orders", "AVAILABLE")

    cfn.timeout_seconds = SHORT_TIMEOUT_SECONDS
    cfn.before_poll = available_after_two_polls

    # when: the custom resource's whole life, with polling and a failure on the way
    results: list[Any] = [
        stack.create("Schedule", {"NamespaceName": "orders"}),
        stack.update("Schedule", {"NamespaceName": "orders", "RetentionPeriod": "0"}),
        stack.update("Schedule", {"NamespaceName": "orders", "RetentionPeriod": "14"}),
        stack.delete("Schedule"),
    ]
    # when: the listener's, for a namespace whose CloudTrail event carries hidden credentials
    create_event = cloudtrail_event("CreateNamespace", "sales-analytics")
    results += [
        listen(create_event),
        listen(create_event | {"detail": create_event["detail"] | {"errorCode": "Conflict"}}),
        listen({"unexpected": create_event}),
        listen({}),
        listen(cloudtrail_event("DeleteNamespace", "orders")),
    ]

    # then: the lifecycle ran the paths that matter
    assert [result.status for result in results[:4]] == [
        "CREATE_COMPLETE",
        "UPDATE_ROLLBACK_COMPLETE",
        "UPDATE_COMPLETE",
        "DELETE_COMPLETE",
    ]
    assert results[4]["outcome"] == "created"
    assert any("polling" in record.getMessage() for record in caplog.records)

    # then: nothing secret or whole was logged, by any logger
    assert len(caplog.records) > 10
    response_urls = [response.request["ResponseURL"] for response in cfn.history]
    matches = [re.search(r"X-Amz-Signature=(\w+)", url) for url in response_urls]
    assert all(matches)
    signatures = [match[1] for match in matches if match]
    leaks = [
        (record.name, token)
        for record in caplog.records
        for token in (*FORBIDDEN, *response_urls, *signatures)
        if token in render(record)
    ]
    assert leaks == []
