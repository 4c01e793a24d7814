"""The one clock of the services: aware UTC datetimes, also for values read back from SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

from stock_saas.models._columns import utcnow

__all__ = ["as_utc", "utcnow"]


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its UTC offset: SQLite hands back naive datetimes, and every time
    stored by this code is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
