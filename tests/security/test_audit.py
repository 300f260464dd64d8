"""The audit gate's verdict on pip-audit's JSON report."""

from __future__ import annotations

import pytest

from tests.security.audit import verdict


def test_verdict_fails_on_a_known_vulnerability(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    report = {
        "dependencies": [
            {"name": "boto3", "version": "1.44.8", "vulns": []},
            {
                "name": "urllib3",
                "version": "1.26.0",
                "vulns": [{"id": "GHSA-v845-jxx5-vc9f", "fix_versions": ["1.26.17"]}],
            },
        ]
    }

    # when
    status = verdict(report)

    # then
    assert status == 1
    output = capsys.readouterr().out
    assert "urllib3 1.26.0: GHSA-v845-jxx5-vc9f (fixed in 1.26.17)" in output
    assert "FAILED: 1 vulnerable package(s)" in output


def test_verdict_reports_not_audited_when_nothing_could_be_looked_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given
    report = {
        "dependencies": [
            {"name": "boto3", "skip_reason": "Dependency not found on PyPI"},
            {"name": "moto", "skip_reason": "Dependency not found on PyPI"},
        ]
    }

    # when
    status = verdict(report)

    # then
    assert status == 0
    assert "NOT AUDITED: none of 2 packages" in capsys.readouterr().out


def test_verdict_passes_a_clean_report(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    report = {
        "dependencies": [
            {"name": "boto3", "version": "1.44.8", "vulns": []},
            {"name": "local-thing", "skip_reason": "Dependency not found on PyPI"},
        ]
    }

    # when
    status = verdict(report)

    # then
    assert status == 0
    assert "no known vulnerabilities in 1 packages (1 not audited)" in capsys.readouterr().out
