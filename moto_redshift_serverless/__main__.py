"""python -m moto_redshift_serverless [--host 127.0.0.1] [--port 5000]: a moto server with it."""

from __future__ import annotations

import argparse

from moto import server

from . import register


def main(argv: list[str] | None = None) -> None:
    """Run moto's standalone server (every moto service plus redshift-serverless)."""
    parser = argparse.ArgumentParser(
        prog="python -m moto_redshift_serverless",
        description="Serve every moto service plus Redshift Serverless over HTTP.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=5000, help="port (default %(default)s)")
    arguments = parser.parse_args(argv)

    register()
    server.main(["--host", arguments.host, "--port", str(arguments.port)])


if __name__ == "__main__":
    main()
