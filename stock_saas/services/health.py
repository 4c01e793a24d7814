"""Liveness of the backing services, for ``/api/health`` and operators."""

from __future__ import annotations

import logging

from sqlalchemy import text

from stock_saas.db import read_session

__all__ = ["database_ok"]

log = logging.getLogger(__name__)


def database_ok() -> bool:
    """True when the database answers a trivial query (public: reveals no tenant data)."""
    try:
        with read_session() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ok"; the reason goes to the log
        log.warning("database health check failed: %s", exc)
        return False
    return True
