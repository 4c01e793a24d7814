"""Issue 12, item 5: files holding secrets are the owner's alone.

The running app's state files (each tab's session JWT) are 0600 in a 0700 directory; the
SQLite database (password hashes) and its WAL/SHM files are 0600.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN
from tests.e2e.flows import sign_in
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_and_the_database_are_private(
    new_context, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.getbasetemp() / "e2e-app0"  # the app_url fixture's folder
    states = work / "states"
    page = new_context().new_page()
    sign_in(page, *ADMIN)  # the tab's state now holds a session
    wait_until(lambda: any(states.rglob("*.pkl")), timeout=30, what="a state file on disk")

    assert _mode(states) == 0o700
    files = [p for p in states.rglob("*") if p.is_file()]
    assert files and {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    database = [work / "e2e.db", work / "e2e.db-wal", work / "e2e.db-shm"]
    present = [p for p in database if p.exists()]
    assert work / "e2e.db" in present
    assert {p.name: _mode(p) for p in present} == {p.name: 0o600 for p in present}
