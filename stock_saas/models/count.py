"""Stock counts (stocktakes): one session per department count, one line per item counted."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["CountLine", "CountStatus", "StockCount"]


class CountStatus(StrEnum):
    """Where a count is (``stock_counts.status``); owned by the counts domain."""

    OPEN = "open"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


class StockCount(SQLModel, table=True):
    """A count of one department: open while people count, then submitted (its variances
    applied as ``adjust``/``counted``) or cancelled. At most one open count per department."""

    __tablename__ = "stock_counts"
    __table_args__ = (
        Index("ix_stock_counts_tenant_id", "tenant_id", "id"),
        Index(
            "uq_stock_counts_open_department",
            "tenant_id",
            "department_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    # CASCADE: deleting an (empty) department drops its counts; the adjusts stay audited.
    department_id: int = Field(
        sa_column=Column(id_type, ForeignKey("departments.id", ondelete="CASCADE"), nullable=False)
    )
    status: str = Field(default=CountStatus.OPEN.value, max_length=12)
    blind: bool = Field(default=False)  # expected quantities hidden until submitted
    note: str = Field(default="", max_length=500)
    started_by: str = Field(max_length=120)
    started_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    finished_by: str | None = Field(default=None, max_length=120)
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class CountLine(SQLModel, table=True):
    """One item of a count. ``expected`` is the stock level's quantity at the moment the
    line was last counted, so movements during the count never distort its variance."""

    __tablename__ = "stock_count_lines"
    __table_args__ = (
        UniqueConstraint("count_id", "item_id", name="uq_stock_count_lines_item"),
        Index("ix_stock_count_lines_tenant_count", "tenant_id", "count_id"),
        CheckConstraint("counted >= 0", name="ck_stock_count_lines_counted_nonnegative"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    count_id: int = Field(
        sa_column=Column(id_type, ForeignKey("stock_counts.id", ondelete="CASCADE"), nullable=False)
    )
    item_id: int = Field(
        sa_column=Column(id_type, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    counted: int | None = Field(default=None)
    expected: int | None = Field(default=None)
    counted_by: str | None = Field(default=None, max_length=120)
    counted_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    applied: int | None = Field(default=None)  # the adjust's delta once submitted
    audit_id: int | None = Field(default=None, sa_type=id_type)
