"""Files that hold secrets are the owner's alone.

The SQLite database holds password hashes and API material; Reflex's state files hold each
tab's session JWT; exports hold a tenant's audit trail. Each is created 0600 and the
directories made for them 0700. SQLite creates its ``-wal`` and ``-shm`` files with the
database file's own mode, so a 0600 database keeps them 0600 too.

The running backend, worker and CLI set the process umask to 077 (:func:`keep_private`)
once they are up, so whatever they write later (a state file, an export) is private as
well. It is not set at import: building the frontend imports the app, and files a build
writes must stay readable by the user that serves them.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "keep_private", "private_dir", "private_file"]

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def keep_private() -> None:
    """From now on this process creates files 0600 and directories 0700."""
    os.umask(0o077)


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing, else make it 0600 (and the
    SQLite ``-wal``/``-shm`` files beside it, if any)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.close(fd)
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            os.chmod(each, PRIVATE_FILE)


def private_dir(path: Path) -> None:
    """Create ``path`` 0700 if it is missing, else make it 0700 and its files 0600."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)
    for child in path.iterdir():
        if child.is_file() and not child.is_symlink():
            os.chmod(child, PRIVATE_FILE)
