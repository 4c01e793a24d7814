"""Liveness and readiness of the backing services, for the health routes and operators.

Every check is public (it reveals no tenant data), bounded by a short timeout, and never
raises: a failure is reported as ``"error"`` and its reason goes to the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import text

from stock_saas.config import get_settings
from stock_saas.db import read_session

__all__ = [
    "MigrationState",
    "broker_status",
    "database_ok",
    "migration_state",
    "redis_status",
]

log = logging.getLogger(__name__)
PROBE_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class MigrationState:
    """The database's Alembic revision against the code's head (None: unknown/empty)."""

    current: str | None
    head: str | None

    @property
    def at_head(self) -> bool:
        return self.current is not None and self.current == self.head


def database_ok() -> bool:
    """True when the database answers a trivial query (public: reveals no tenant data)."""
    try:
        with read_session() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ok"; the reason goes to the log
        log.warning("database health check failed: %s", exc)
        return False
    return True


@lru_cache(maxsize=1)
def _code_head() -> str | None:
    from stock_saas.migrations import head_revision

    return head_revision()  # the code's migrations do not change while it runs


def migration_state() -> MigrationState:
    """Where the database's schema is against the newest migration of this code."""
    from stock_saas.migrations import current_revision

    head = _code_head()
    try:
        current = current_revision()
    except Exception as exc:
        log.warning("migration check failed: %s", exc)
        current = None
    return MigrationState(current=current, head=head)


def _ping_redis(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def redis_status() -> str:
    """``ok``, ``error``, or ``disabled`` when REDIS_URL is unset (embedded default)."""
    url = get_settings().redis_url
    if not url:
        return "disabled"
    try:
        return "ok" if _ping_redis(url) else "error"
    except Exception as exc:
        log.warning("redis health check failed: %s", exc)
        return "error"


def broker_status() -> str:
    """``ok`` or ``error`` for a networked Celery broker; ``embedded`` for the SQLite one."""
    settings = get_settings()
    url = settings.celery_broker_url or settings.redis_url
    if not url:
        return "embedded"
    try:
        if url.startswith(("redis://", "rediss://")):
            return "ok" if _ping_redis(url) else "error"
        from kombu import Connection

        with Connection(url, connect_timeout=PROBE_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1)
        return "ok"
    except Exception as exc:
        log.warning("broker health check failed: %s", exc)
        return "error"
