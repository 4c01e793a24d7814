"""Issue 12, item 5: a database the CLI creates is 0600 from its first byte, WAL/SHM too."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from stock_saas.security.file_modes import private_dir, private_file

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_migrate_creates_a_private_database(tmp_path: Path) -> None:
    database = tmp_path / "data" / "inventory.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "ADMIN_USERNAME": "owner",
        "ADMIN_PASSWORD": "owner-password-1",
        "SECRET_KEY": "a-test-secret-key-of-enough-length-0123456789",
        "SECRET_STORE_FILE": str(tmp_path / "secrets.json"),
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "inventory.py", "migrate"], cwd=REPO, env=env, check=True, timeout=120
    )
    subprocess.run(
        [sys.executable, "inventory.py", "add", "Gauze", "3"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    files = [p for p in database.parent.iterdir() if p.name.startswith("inventory.db")]
    assert database in files
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_existing_files_are_made_private(tmp_path: Path) -> None:
    loose = tmp_path / "states"
    loose.mkdir(mode=0o755)
    (loose / "tab.pkl").write_bytes(b"session")
    os.chmod(loose / "tab.pkl", 0o644)
    database = tmp_path / "old.db"
    database.write_bytes(b"")
    os.chmod(database, 0o644)

    private_dir(loose)
    private_file(database)

    assert (_mode(loose), _mode(loose / "tab.pkl"), _mode(database)) == (0o700, 0o600, 0o600)
