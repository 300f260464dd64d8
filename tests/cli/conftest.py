"""Fixtures for the command line: the emulator server over HTTP, a stub that denies access."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
from click.testing import CliRunner, Result

from snapshot_schedule_cli.cli import main
from tests.support.emulator_server import emulator_server

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `python -m moto_redshift_serverless` server on a free port; stopped afterwards."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(REPOSITORY)),
    }
    with emulator_server(log, environment) as url:
        yield url


@pytest.fixture
def fresh_endpoint(endpoint: str) -> str:
    """The emulator server with every account and region emptied first."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - local http only
        pass
    return endpoint


@pytest.fixture
def seed(fresh_endpoint: str) -> Callable[[str], RedshiftServerlessClient]:
    """A boto3 client for a region of the emptied server, to set the scene with."""

    def client(region: str) -> RedshiftServerlessClient:
        return boto3.client("redshift-serverless", region_name=region, endpoint_url=fresh_endpoint)

    return client


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run `snapshot-schedule ARGS…` in-process and return click's result (exit code, output)."""
    runner = CliRunner()

    def run(*arguments: str, env: dict[str, str | None] | None = None) -> Result:
        return runner.invoke(main, list(arguments), env=env, catch_exceptions=False)

    return run


class _DenyingHandler(BaseHTTPRequestHandler):
    """Answers every Redshift Serverless call as AWS does when IAM denies it."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
        body = json.dumps(
            {
                "__type": "AccessDeniedException",
                "message": (
                    "User: arn:aws:iam::123456789012:user/operator is not authorized to perform: "
                    f"redshift-serverless:{operation} because no identity-based policy allows it"
                ),
            }
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-ErrorType", "AccessDeniedException")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def denying_endpoint() -> Iterator[str]:
    """A local endpoint that answers AccessDeniedException to every call."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DenyingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
