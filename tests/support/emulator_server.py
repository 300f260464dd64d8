"""The standalone emulator (`python -m moto_redshift_serverless`) as a subprocess on a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 15.0


class ServerDidNotStart(RuntimeError):
    """The server exited or stayed silent; the message holds its log."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def emulator_server(log: Path, environment: Mapping[str, str]) -> Iterator[str]:
    """Start the server with ``environment`` (plus the repository on PYTHONPATH), yield its URL
    once it answers, and stop it afterwards. Raises ServerDidNotStart."""
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "moto_redshift_serverless", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**environment, "PYTHONPATH": str(REPOSITORY)},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_answering(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerDidNotStart(f"the emulator server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - local http only
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.1)
    raise ServerDidNotStart(
        f"the emulator server did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}"
    )
