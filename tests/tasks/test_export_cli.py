"""``inventory.py export``: the audit log as CSV, inline, with a progress line on stderr."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from stock_saas import cli
from stock_saas.config import REPO_ROOT
from stock_saas.services import audit
from tests.tasks.conftest import AuditTrail

TENANT = ["--tenant", "Acme Hospital"]


def _log_ids(trail: AuditTrail) -> list[str]:
    return [str(e.id) for batch in audit.iter_entries(ctx=trail.admin) for e in batch]


def test_export_to_a_file_writes_the_tenants_log(audit_trail: AuditTrail, tmp_path: Path):
    target = tmp_path / "audit.csv"
    assert cli.main(["export", "--output", str(target), *TENANT]) == 0
    with target.open(newline="", encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == _log_ids(audit_trail)


def test_export_reports_progress_on_stderr(
    audit_trail: AuditTrail, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    cli.main(["export", "--output", str(tmp_path / "audit.csv"), *TENANT])
    total = len(_log_ids(audit_trail))
    assert f"export: {total}/{total} rows (100%)" in capsys.readouterr().err


def test_export_limit_to_stdout_prints_only_the_newest_rows(audit_trail: AuditTrail):
    # A real process: stdout must hold the CSV and nothing else (no log lines).
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "inventory.py"), "export", "--limit", "2", *TENANT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["id"] for row in rows] == _log_ids(audit_trail)[-2:]


def test_export_limit_zero_is_a_usage_error(audit_trail: AuditTrail):
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "--limit", "0", *TENANT])
    assert exited.value.code == 2
