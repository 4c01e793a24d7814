"""Background CSV exports of the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["Export", "ExportStatus"]


class ExportStatus(StrEnum):
    """Where one export stands (``exports.status``)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class Export(SQLModel, table=True):
    __tablename__ = "exports"
    __table_args__ = (Index("ix_exports_tenant", "tenant_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    task_id: str = Field(max_length=64, unique=True)
    requested_by: int | None = Field(default=None, sa_type=id_type)
    status: str = Field(default=ExportStatus.PENDING, max_length=12)
    progress: float = Field(default=0.0)
    rows_written: int = Field(default=0)
    total_rows: int = Field(default=0)
    filters: str = Field(default="{}", max_length=1000)
    file_path: str | None = Field(default=None, max_length=500)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    # Refreshed while a worker writes the file; a stale one means the worker died (0002).
    heartbeat_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column())
