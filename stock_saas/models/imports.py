"""CSV imports run in the background: their status, progress and outcome."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["ImportJob", "ImportStatus"]


class ImportStatus(StrEnum):
    """Where one import stands (``import_jobs.status``)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_tenant", "tenant_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    task_id: str = Field(max_length=64, unique=True)
    requested_by: int | None = Field(default=None, sa_type=id_type)
    dry_run: bool = Field(default=True)
    status: str = Field(default=ImportStatus.PENDING, max_length=12)
    progress: float = Field(default=0.0)
    created: int = Field(default=0)
    updated: int = Field(default=0)
    unchanged: int = Field(default=0)
    new_items: int = Field(default=0)
    new_departments: int = Field(default=0)
    new_categories: int = Field(default=0)
    applied: bool = Field(default=False)
    # JSON lists: every row error, and the first changes for the preview.
    errors: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    changes: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    detail: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column())
