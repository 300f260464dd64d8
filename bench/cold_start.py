"""Figure 4: what a cold start pays for imports, and how big the deployment zip is.

The zip is built with scripts/package.py into a temporary directory and unpacked; every import
is then timed in a fresh interpreter whose working directory is the unpacked zip, so the
handlers and crhelper come from the zip, as in Lambda, and boto3 from this environment (the
Lambda runtime provides its own, already compiled).

Lambda unpacks the zip into a read-only directory, so Python cannot cache the bytecode it
compiles: a zip without ``.pyc`` files compiles its sources on every cold start. The "as
shipped" figure reproduces that (no bytecode written or found); the "bytecode cached" figure
is the same import once compiled, i.e. what shipping bytecode would give.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Stats

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_SCRIPT = ROOT / "scripts" / "package.py"

MODULES = ("boto3", "custom_resource.handler", "event_listener.handler")
HANDLERS = MODULES[1:]

# Timed inside the child, so interpreter start-up is not part of the figure.
_PROBE = """
import json, sys, time
started = time.perf_counter()
__import__(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass(frozen=True)
class ZipFigure:
    """The deployment zip: bytes on disk, bytes unpacked, number of files."""

    size: int
    unpacked: int
    files: int


@dataclass(frozen=True)
class ColdStartFigure:
    """Import times per module (fresh processes) and the zip, or why the zip is missing."""

    imports: dict[str, Stats]
    cached: dict[str, Stats]
    zip: ZipFigure | None
    zip_problem: str | None
    repetitions: int


def import_seconds(module: str, directory: Path, *, bytecode: bool) -> float:
    """Seconds a fresh interpreter, started in ``directory``, spends importing ``module``;
    without ``bytecode`` nothing compiled is written (the caller removes what exists)."""
    environment = dict(os.environ)
    if bytecode:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    completed = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", _PROBE, module],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(json.loads(completed.stdout.strip().splitlines()[-1])["seconds"])


def _remove_bytecode(directory: Path) -> None:
    for cache in directory.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def build_zip(directory: Path) -> tuple[Path | None, str | None]:
    """Build the deployment zip into ``directory``; (path, None) or (None, why not)."""
    if not PACKAGE_SCRIPT.exists():
        return None, "scripts/package.py does not exist"
    output = directory / "snapshot-schedule.zip"
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(PACKAGE_SCRIPT), "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if completed.returncode != 0 or not output.exists():
        return None, f"scripts/package.py failed: {completed.stderr.strip()[-300:]}"
    return output, None


def measure(repetitions: int) -> ColdStartFigure:
    """Build and unpack the zip, then time each module's import ``repetitions`` times."""
    with tempfile.TemporaryDirectory(prefix="bench-zip-") as temporary:
        directory = Path(temporary)
        archive, problem = build_zip(directory)
        unpacked = directory / "unpacked"
        unpacked.mkdir()
        figure_zip: ZipFigure | None = None
        if archive is not None:
            with zipfile.ZipFile(archive) as opened:
                infos = opened.infolist()
                opened.extractall(unpacked)
            figure_zip = ZipFigure(
                size=archive.stat().st_size,
                unpacked=sum(info.file_size for info in infos),
                files=sum(1 for info in infos if not info.is_dir()),
            )
        else:
            # Without a zip, the product's sources alone (crhelper from the environment).
            for package in ("custom_resource", "event_listener"):
                shutil.copytree(ROOT / package, unpacked / package)
        where = unpacked

        # Interleaved, so a slow moment of the machine hurts every module alike.
        samples: dict[str, list[float]] = {module: [] for module in MODULES}
        cached: dict[str, list[float]] = {module: [] for module in HANDLERS}
        for _ in range(repetitions):
            for module in MODULES:
                _remove_bytecode(where)
                samples[module].append(import_seconds(module, where, bytecode=False))
            compileall.compile_dir(where, quiet=1)
            for module in HANDLERS:
                cached[module].append(import_seconds(module, where, bytecode=True))
        _remove_bytecode(where)

    return ColdStartFigure(
        imports={module: Stats.of(values) for module, values in samples.items()},
        cached={module: Stats.of(values) for module, values in cached.items()},
        zip=figure_zip,
        zip_problem=problem,
        repetitions=repetitions,
    )
