"""The CLI as a user types it: a subprocess in a directory of its own."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stock_saas.config import REPO_ROOT
from stock_saas.services import audit
from stock_saas.services.core import Source
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context

INVENTORY = str(REPO_ROOT / "inventory.py")


class Cli:
    def __init__(self, cwd: Path, database_url: str | None) -> None:
        self.cwd = cwd
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, INVENTORY, *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
def fresh_cli(tmp_path: Path) -> Cli:
    """No DATABASE_URL, an empty directory: the embedded default."""
    return Cli(tmp_path, None)


@pytest.fixture
def cli(database: str, tmp_path: Path) -> Cli:
    """The CLI on the test database (SQLite file or PostgreSQL)."""
    return Cli(tmp_path, database)


def test_new_user_walkthrough_in_a_fresh_directory(fresh_cli: Cli, tmp_path: Path):
    added = fresh_cli("add", "Gloves", "100", "--threshold", "20")
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "inventory.db").exists()
    issued = fresh_cli("issue", "Gloves", "90")
    assert issued.returncode == 0
    assert "10 left" in issued.stdout
    status = fresh_cli("status")
    assert "WARNING: Gloves in General is below its threshold (10 < 20)" in status.stdout
    refused = fresh_cli("issue", "Gloves", "50")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: Only 10 of 'Gloves' in General; cannot take 50."
    ]
    assert json.loads(fresh_cli("status", "--json").stdout)[0]["quantity"] == 10


def test_status_json_has_the_contract_fields(cli: Cli):
    cli("add", "Gloves", "3", "--threshold", "5", "--department", "Lab", "--category", "PPE")
    cli("add", "Masks", "30", "--threshold", "5")
    rows = json.loads(cli("status", "--json").stdout)
    assert {
        (r["name"], r["department"], r["quantity"], r["threshold"], r["low"]) for r in rows
    } == {
        ("Gloves", "Lab", 3, 5, True),
        ("Masks", "General", 30, 5, False),
    }
    low = json.loads(cli("status", "--json", "--low").stdout)
    assert [r["name"] for r in low] == ["Gloves"]
    in_general = json.loads(cli("status", "--json", "--department", "General").stdout)
    assert [r["name"] for r in in_general] == ["Masks"]


def test_add_says_what_it_created(cli: Cli):
    out = cli("add", "Gloves", "3", "--department", "Lab", "--category", "PPE").stdout
    assert "Created department 'Lab'." in out and "Created category 'PPE'." in out


def test_transfer_moves_units(cli: Cli):
    cli("add", "Gloves", "10")
    cli("add", "Gloves", "1", "--department", "Lab")
    moved = cli("transfer", "Gloves", "4", "--from", "General", "--to", "Lab")
    assert moved.returncode == 0, moved.stderr
    rows = {r["department"]: r["quantity"] for r in json.loads(cli("status", "--json").stdout)}
    assert rows == {"General": 6, "Lab": 5}


BAD_INPUT = [
    (("issue", "Gloves", "abc"), 2),
    (("issue", "Gloves", "-3"), 2),
    (("issue", "Gloves", "0"), 2),
    (("add", "Gloves", "1.5"), 2),
    (("issue", "Nothing", "1"), 1),
    (("issue", "Gloves", "1", "--department", "Nowhere"), 1),
    (("transfer", "Gloves", "1", "--from", "General"), 2),
    (("transfer", "Gloves", "99", "--from", "General", "--to", "Lab"), 1),
    (("add", "x" * 200, "1"), 1),
    (("status", "--department", "Nowhere"), 1),
    (("frobnicate",), 2),
]


def test_bad_input_is_a_clear_error_and_changes_nothing(cli: Cli):
    # One seeded database for every case (each CLI start costs most of a second).
    cli("add", "Gloves", "10")
    cli("add", "Gloves", "1", "--department", "Lab")
    before = cli("status", "--json").stdout
    for args, code in BAD_INPUT:
        result = cli(*args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.strip(), f"{args}: an error must say something on stderr"
        if code == 1:
            assert len(result.stderr.strip().splitlines()) == 1, args
    assert cli("status", "--json").stdout == before


def test_tenants_are_kept_apart(cli: Cli):
    cli("add", "Gloves", "10")
    cli("add", "Gloves", "2", "--tenant", "other")
    assert json.loads(cli("status", "--json", "--tenant", "other").stdout)[0]["quantity"] == 2
    assert json.loads(cli("status", "--json").stdout)[0]["quantity"] == 10


def test_audit_rows_say_cli_and_the_os_user(cli: Cli):
    cli("add", "Gloves", "10")
    ctx = operator_context(ensure_tenant(DEFAULT_TENANT), source=Source.CLI, actor_name="t")
    entry = audit.latest(ctx=ctx, limit=1).entries[0]
    assert (entry.source, entry.actor_name) == ("cli", getpass.getuser())
