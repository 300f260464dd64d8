"""The local CloudFormation driver holds handlers to CloudFormation's rules."""

from __future__ import annotations

import http.client
import json
import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.cfn_driver import CloudFormationDriver, DriverError, stringify_properties


def put_response(url: str, body: dict[str, Any]) -> int:
    """PUT a response the way crhelper does: HTTPS with default certificate verification."""
    parts = urlsplit(url)
    connection = http.client.HTTPSConnection(
        parts.netloc, context=ssl.create_default_context(), timeout=5
    )
    connection.request("PUT", f"{parts.path}?{parts.query}", body=json.dumps(body))
    return connection.getresponse().status


@pytest.fixture
def driver(emulator: object) -> Iterator[CloudFormationDriver]:
    with CloudFormationDriver(lambda event, context: None) as opened:
        yield opened


def test_stringify_properties_turns_every_scalar_into_a_string() -> None:
    # given
    properties = {"A": 7, "B": True, "C": [1.5, False], "D": {"E": "x"}}

    # when
    stringified = stringify_properties(properties)

    # then
    assert stringified == {"A": "7", "B": "true", "C": ["1.5", "false"], "D": {"E": "x"}}


def test_build_event_has_the_shape_cloudformation_sends(driver: CloudFormationDriver) -> None:
    # given / when
    event = driver.build_event(
        "Update",
        "Schedule",
        {"RetentionPeriod": 14},
        stack_name="orders-stack",
        physical_resource_id="snapshot-orders",
        old_properties={"RetentionPeriod": 7},
    )

    # then
    assert event["ResponseURL"].startswith("https://127.0.0.1:")
    assert "X-Amz-Signature=" in event["ResponseURL"]
    assert event["StackId"].startswith(
        "arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-stack/"
    )
    assert event["ResourceType"] == "Custom::ServerlessSnapshotSchedule"
    assert event["ResourceProperties"] == {
        "ServiceToken": driver.function_arn,
        "RetentionPeriod": "14",
    }
    assert event["OldResourceProperties"]["RetentionPeriod"] == "7"
    assert event["PhysicalResourceId"] == "snapshot-orders"


def test_send_returns_what_the_handler_put_over_verified_https(emulator: object) -> None:
    # given a handler answering like crhelper, trusting only the system's default settings
    def handler(event: dict[str, Any], context: Any) -> None:
        put_response(
            event["ResponseURL"],
            {"Status": "SUCCESS", "PhysicalResourceId": "id-1", "Data": {"A": "1"}},
        )

    # when
    with CloudFormationDriver(handler) as driver:
        response = driver.send("Create", "Thing", {})

    # then
    assert response.status == "SUCCESS"
    assert response.physical_resource_id == "id-1"
    assert response.data == {"A": "1"}


def test_send_refuses_a_request_answered_twice(emulator: object) -> None:
    # given
    def handler(event: dict[str, Any], context: Any) -> None:
        for status in ("FAILED", "SUCCESS"):
            put_response(event["ResponseURL"], {"Status": status, "PhysicalResourceId": "x"})

    # when / then
    with CloudFormationDriver(handler) as driver, pytest.raises(DriverError, match="2 responses"):
        driver.send("Create", "Thing", {})


def test_send_refuses_a_request_never_answered(driver: CloudFormationDriver) -> None:
    # given a handler that neither answers nor sets up polling

    # when / then
    with pytest.raises(DriverError, match="no response and no polling was set up"):
        driver.send("Delete", "Thing", {}, physical_resource_id="x")
