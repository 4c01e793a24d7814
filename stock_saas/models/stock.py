"""Stock levels (item x department) and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import created_at_column, id_type, tenant_fk, utcnow

__all__ = ["AdjustReason", "AuditLog", "DepartmentStockCount", "MovementAction", "StockLevel"]


class MovementAction(StrEnum):
    """What an audit row records (``audit_log.action``); owned by the stock domain."""

    ADD = "add"
    RESTOCK = "restock"
    ISSUE = "issue"
    RETURN = "return"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    THRESHOLD = "threshold"
    ADJUST = "adjust"
    IMPORT = "import"  # a CSV import set the quantity on hand (delta = new - old)


class AdjustReason(StrEnum):
    """Why an ``adjust`` changed a stock level (``audit_log.reason``); owned by the stock
    domain. ``damaged``, ``expired`` and ``lost`` are write-offs (they only lower stock),
    ``found`` only raises it, ``counted`` and ``correction`` go either way."""

    COUNTED = "counted"
    DAMAGED = "damaged"
    EXPIRED = "expired"
    LOST = "lost"
    FOUND = "found"
    CORRECTION = "correction"


class StockLevel(SQLModel, table=True):
    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("tenant_id", "item_id", "department_id", name="uq_stock_levels_item_dept"),
        Index("ix_stock_levels_tenant_department", "tenant_id", "department_id"),
        CheckConstraint("quantity >= 0", name="ck_stock_levels_quantity_nonnegative"),
        CheckConstraint("threshold >= 0", name="ck_stock_levels_threshold_nonnegative"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    item_id: int = Field(
        sa_column=Column(id_type, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    department_id: int = Field(
        sa_column=Column(id_type, ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False)
    )
    quantity: int = Field(default=0)
    threshold: int = Field(default=0)


class AuditLog(SQLModel, table=True):
    """One row per change of a stock level; ``delta`` sums to the level's quantity."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_tenant_id_id", "tenant_id", "id"),
        # The usage reports read only index pages on PostgreSQL (services.reports): the
        # tenant's movements in a time window (reorder list, dashboard) and one item's.
        Index(
            "ix_audit_log_tenant_created",
            "tenant_id",
            "created_at",
            postgresql_include=["stock_level_id", "action", "delta"],
        ),
        Index(
            "ix_audit_log_item_created",
            "tenant_id",
            "item_id",
            "created_at",
            postgresql_include=["department_id", "action", "delta"],
        ),
        Index("ix_audit_log_stock_level", "stock_level_id"),
        # The audit listing is newest first by (created_at, id): each filter is a range of
        # one index ending in created_at (an item's: ix_audit_log_item_created above).
        # INCLUDE (PostgreSQL): a department with an action is counted, and its page's ids
        # chosen, from either index alone (services.audit.log._page).
        Index(
            "ix_audit_log_tenant_department",
            "tenant_id",
            "department_id",
            "created_at",
            postgresql_include=["action", "id"],
        ),
        Index(
            "ix_audit_log_tenant_action",
            "tenant_id",
            "action",
            "created_at",
            postgresql_include=["department_id", "id"],
        ),
        # Partial: the hot path's rows (no reason) never touch it.
        Index(
            "ix_audit_log_tenant_reason",
            "tenant_id",
            "reason",
            "created_at",
            postgresql_include=["action"],
            postgresql_where=text("reason IS NOT NULL"),
            sqlite_where=text("reason IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    # SET NULL: deleting an empty stock level (with its department) keeps its history.
    stock_level_id: int | None = Field(
        default=None,
        sa_column=Column(
            id_type, ForeignKey("stock_levels.id", ondelete="SET NULL"), nullable=True
        ),
    )
    item_id: int = Field(sa_type=id_type)
    department_id: int = Field(sa_type=id_type)
    item_name: str = Field(max_length=120)
    department_name: str = Field(max_length=120)
    actor_id: int | None = Field(default=None, sa_type=id_type)
    actor_name: str = Field(max_length=120)
    source: str = Field(max_length=8)
    action: str = Field(max_length=16)
    delta: int
    quantity_after: int
    threshold: int = Field(default=0)
    note: str = Field(default="", max_length=500)
    reason: str | None = Field(default=None, max_length=16)  # AdjustReason of an adjust
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())


class DepartmentStockCount(SQLModel, table=True):
    """Changes to a department's number of stock levels and of low ones (quantity below
    threshold): the sidebar's counts are the sums per department, so it never reads the
    levels themselves. Rows are written by database triggers on ``stock_levels`` in the
    writer's own transaction (migration 0019), and folded into one row per department
    now and then (``services.catalog.counts``). No foreign keys: a department's or
    tenant's cascading delete also deletes its levels, whose triggers then add the
    rows that bring its sums back to zero."""

    __tablename__ = "department_stock_counts"
    __table_args__ = (Index("ix_department_stock_counts_tenant", "tenant_id", "department_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_type=id_type)
    department_id: int = Field(sa_type=id_type)
    levels: int
    low: int
