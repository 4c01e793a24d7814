"""Bus messages that are not audit rows, relayed between processes on the embedded
transport (SQLite without Redis), which tails tables instead of a message broker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import created_at_column, id_type, utcnow

__all__ = ["RelayedEvent"]


class RelayedEvent(SQLModel, table=True):
    """One wire message (``services.events`` encodes it; the tenant is inside). Kept a few
    minutes: listeners read it within a poll, and newer ids are all that matter."""

    __tablename__ = "event_relay"

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    message: str = Field(sa_column=Column(Text, nullable=False))
