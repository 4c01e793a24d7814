"""Column shapes shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer

__all__ = ["created_at_column", "id_type", "tenant_fk", "timestamp_column", "utcnow"]

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so autoincrementing) on SQLite.
id_type = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_column(*, nullable: bool = True, index: bool = False) -> Any:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


def created_at_column() -> Any:
    return Column(DateTime(timezone=True), nullable=False, default=utcnow)


def tenant_fk() -> Any:
    """``tenant_id`` NOT NULL; indexes that lead with it are declared per table."""
    return Column(id_type, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
