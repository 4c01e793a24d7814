"""What a token check needs of a user's row (tenant, role, name, active, token version),
remembered per process for at most ``USER_TTL`` seconds.

Every API request turns its token back into a Context from the user's current row; read
from the database each time, that read cost as much as the stock movement itself. Here it
is read at most once a second per user and process, so a demotion, deactivation, sign-out
or any other change made anywhere (another worker, the CLI, a plain UPDATE) takes effect
within ``USER_TTL`` on every process. The expiry is counted from the moment the read
STARTED, so a row read just before a change commits is still dropped within the bound.
Changes made by this process's services (``update_user``, ``sign_out``, the two-factor
policy's sign-outs) are also forgotten at once, after their commit; and a token newer than
the copy (signed in again after a sign-out elsewhere) has its row read at once.

Why a TTL rather than invalidation through the event bus: one second is the security
bound we promise anyway, a hit needs no I/O and no coordination, and a miss costs the
same single-row read as before; a bus-invalidated cache would also have to hold when the
bus is down or late. A user id with no row is not remembered.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import col

from stock_saas.db import autocommit_connection
from stock_saas.models import User

__all__ = [
    "USER_TTL",
    "UserRow",
    "forget_all_users",
    "forget_user",
    "forget_users",
    "recent_user",
    "remembered_user",
]

USER_TTL = 1.0  # seconds; the promised bound for a change to reach every request
MAX_REMEMBERED = 10_000  # users per process; past it the memory starts again


class UserRow(NamedTuple):
    tenant_id: int
    role: str
    username: str
    is_active: bool
    token_version: int


_rows: dict[int, tuple[float, UserRow]] = {}
_lock = threading.Lock()


def remembered_user(user_id: int, token_version: int = 0) -> UserRow | None:
    """The row as read less than ``USER_TTL`` ago, or None (no I/O either way). A token
    newer than the copy (its ``token_version`` above the copy's: versions only grow, so it
    was issued after a sign-out this copy predates) makes the copy useless: None."""
    entry = _rows.get(user_id)
    if entry is None or entry[0] <= time.monotonic() or entry[1].token_version < token_version:
        return None
    return entry[1]


def recent_user(user_id: int, token_version: int = 0) -> UserRow | None:
    """The user's row at most ``USER_TTL`` old (read now if need be, and when the copy is
    older than a token of ``token_version``); None if there is no such user."""
    known = remembered_user(user_id, token_version)
    if known is not None:
        return known
    began = time.monotonic()
    with autocommit_connection() as connection:
        found = connection.execute(
            sa_select(
                col(User.tenant_id),
                col(User.role),
                col(User.username),
                col(User.is_active),
                col(User.token_version),
            ).where(col(User.id) == user_id)
        ).first()
    if found is None:
        return None
    row = UserRow(*found)
    with _lock:
        if len(_rows) >= MAX_REMEMBERED:
            _rows.clear()
        _rows[user_id] = (began + USER_TTL, row)
    return row


def forget_user(user_id: int) -> None:
    """Drop this process's copy of the row (after a change this process committed)."""
    with _lock:
        _rows.pop(user_id, None)


def forget_users(user_ids: list[int] | None) -> None:
    """``forget_user`` for each of ``user_ids``; None: everyone (a tenant-wide change)."""
    if user_ids is None:
        forget_all_users()
    for user_id in user_ids or []:
        forget_user(user_id)


def forget_all_users() -> None:
    """Drop every copy: when this process switches to another database whose ids mean other
    people (the tests' fresh database per test; ids never repeat within one database)."""
    with _lock:
        _rows.clear()
