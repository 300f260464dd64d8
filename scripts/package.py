"""Build the one Lambda zip that serves both functions, byte for byte reproducibly.

The zip holds the product packages (custom_resource, event_listener) and every pure-Python
runtime dependency declared in pyproject.toml (crhelper and whatever it needs), copied from the
environment this script runs in. boto3 and its own dependencies are left to the Lambda runtime.
Entries are sorted and carry a fixed timestamp and fixed permissions, caches are left out, so
building the same sources twice gives the same bytes.

    python scripts/package.py [--output dist/snapshot-schedule.zip]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import stat
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = Path("dist") / "snapshot-schedule.zip"

PRODUCT_PACKAGES = ("custom_resource", "event_listener")
HANDLER_MODULES = ("custom_resource/handler.py", "event_listener/handler.py")

# The Lambda Python runtime ships these; vendoring them would pin an SDK older than the runtime's.
RUNTIME_PROVIDED = frozenset(
    canonicalize_name(name)
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3")
)
# Markers of the target: the python3.12 runtime on arm64.
LAMBDA_ENVIRONMENT = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "sys_platform": "linux",
    "os_name": "posix",
    "platform_system": "Linux",
    "platform_machine": "aarch64",
    "extra": "",
}

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = stat.S_IFREG | 0o644
UNIX = 3
# Files of a .dist-info kept for the licence terms; the others vary with the installer.
KEPT_METADATA = ("METADATA", "LICENSE", "NOTICE")
NATIVE_SUFFIXES = (".so", ".pyd", ".dylib")


class PackagingError(Exception):
    """The zip cannot be built as promised (a module missing, a native dependency...)."""


def build(output: Path, *, root: Path = ROOT) -> tuple[int, str]:
    """Write the zip to ``output`` (replacing it atomically); return its size and SHA-256.

    Raises PackagingError when a handler module is missing or a dependency is not pure Python.
    """
    entries = dict(_product_files(root))
    for name in _vendored_distributions(root):
        for arcname, path in _distribution_files(name):
            entries.setdefault(arcname, path)

    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".zip.tmp")
    os.close(handle)
    try:
        _write_zip(Path(temporary), entries)
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)

    data = output.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def _write_zip(path: Path, entries: dict[str, Path]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for arcname in sorted(entries):
            info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE_TIME)
            info.external_attr = FILE_MODE << 16
            info.create_system = UNIX
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[arcname].read_bytes(), compresslevel=9)


def _product_files(root: Path) -> Iterator[tuple[str, Path]]:
    missing = [module for module in HANDLER_MODULES if not (root / module).is_file()]
    if missing:
        raise PackagingError(f"handler module(s) missing: {', '.join(missing)}")

    for package in PRODUCT_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and _is_shipped(relative.parts):
                yield relative.as_posix(), path


def _is_shipped(parts: Sequence[str]) -> bool:
    return "__pycache__" not in parts and not parts[-1].endswith((".pyc", ".pyo"))


def _vendored_distributions(root: Path) -> list[str]:
    """Runtime dependencies of the project and theirs, minus what the Lambda runtime provides."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    pending = [Requirement(text) for text in pyproject["project"]["dependencies"]]
    found: dict[str, str] = {}

    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in RUNTIME_PROVIDED or name in found:
            continue
        if requirement.marker and not requirement.marker.evaluate(LAMBDA_ENVIRONMENT):
            continue

        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError as exc:
            raise PackagingError(
                f"{requirement.name} is a runtime dependency but is not installed here"
            ) from exc
        found[name] = requirement.name
        pending.extend(Requirement(text) for text in distribution.requires or ())

    return [found[name] for name in sorted(found)]


def _distribution_files(name: str) -> Iterator[tuple[str, Path]]:
    distribution = metadata.distribution(name)
    for file in distribution.files or ():
        parts = Path(str(file)).parts
        if not parts or parts[0] == ".." or not _is_shipped(parts):
            continue
        if parts[0].endswith(".dist-info") and not parts[-1].startswith(KEPT_METADATA):
            continue
        if parts[-1].endswith(NATIVE_SUFFIXES):
            raise PackagingError(f"{name} contains native code ({file}): it cannot be vendored")

        path = Path(str(distribution.locate_file(file)))
        if path.is_file():
            yield Path(str(file)).as_posix(), path


def _parse_arguments(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / DEFAULT_OUTPUT)
    return parser.parse_args(None if argv is None else list(argv))


def main(argv: Iterable[str] | None = None) -> int:
    arguments = _parse_arguments(argv)
    try:
        size, digest = build(arguments.output)
    except PackagingError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1

    print(f"{arguments.output}: {size} bytes ({size / 1024:.1f} KiB), sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
