"""``python -m tests.security.audit``: pip-audit of the installed dependencies, tolerant of
having no network.

Exit 1 when a known vulnerability is found; exit 0 with a loud "NOT AUDITED" when the
vulnerability database cannot be reached (offline builds must not fail, but must not pass
silently either) or when pip-audit itself is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 180


def main() -> int:
    executable = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if executable is None:
        print("audit: NOT AUDITED: pip-audit is not installed (pip install -e '.[dev]')")
        return 0

    command = [executable, "--local", "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    try:
        # A fixed argument list naming our own virtual environment's pip-audit.
        completed = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"audit: NOT AUDITED: pip-audit did not finish in {TIMEOUT_SECONDS} s")
        return 0

    try:
        report: dict[str, Any] = json.loads(completed.stdout)
    except json.JSONDecodeError:
        last_line = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: NOT AUDITED: the vulnerability database is unreachable ({last_line})")
        return 0
    return verdict(report)


def verdict(report: dict[str, Any]) -> int:
    """Print what the report says; 1 when it names a vulnerability, else 0."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(skipped)

    for dependency in vulnerable:
        ids = ", ".join(str(v.get("id")) for v in dependency["vulns"])
        fixes = sorted({f for v in dependency["vulns"] for f in v.get("fix_versions", [])})
        print(
            f"audit: {dependency['name']} {dependency.get('version')}: {ids}"
            + (f" (fixed in {', '.join(fixes)})" if fixes else "")
        )
    if vulnerable:
        print(f"audit: FAILED: {len(vulnerable)} vulnerable package(s)")
        return 1

    if audited == 0:
        print(
            f"audit: NOT AUDITED: none of {len(dependencies)} packages could be looked up "
            "(no network or no vulnerability database)"
        )
        return 0
    print(f"audit: no known vulnerabilities in {audited} packages ({len(skipped)} not audited)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
