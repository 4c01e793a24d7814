"""Time windows of the reports: ``days`` days ending now, and the UTC dates they touch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, func
from sqlmodel import Session

__all__ = ["Window", "as_date", "utc_date"]


@dataclass(frozen=True, slots=True)
class Window:
    """From ``now - days`` (exclusive) to now; its series has one point per UTC date it
    touches (``days + 1`` of them unless it starts at midnight), the first one partial."""

    days: int
    now: datetime

    @classmethod
    def ending_now(cls, days: int, now: datetime | None = None) -> Window:
        return cls(days, (now or datetime.now(UTC)).astimezone(UTC))

    @property
    def start(self) -> datetime:
        return self.now - timedelta(days=self.days)

    def dates(self) -> list[date]:
        first, last = self.start.date(), self.now.date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def utc_date(session: Session, column: Any) -> Any:
    """SQL for the UTC calendar date of a timestamp column, on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)  # SQLite stores UTC wall-clock text


def as_date(value: Any) -> date:
    """A date from what :func:`utc_date` returns (a date, or ISO text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
