"""API keys: a tenant's credentials for integrations, stored as a hash only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["KEY_NAME_MAX", "ApiKey", "ApiKeyStatus"]

KEY_NAME_MAX = 60


class ApiKeyStatus(StrEnum):
    """Whether a key works now, and if not, why (shown in the key list)."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"  # its creator is deactivated (it works again if they return)


class ApiKey(SQLModel, table=True):
    """One key: found by its public ``prefix``, checked against ``key_hash`` (SHA-256).

    The key itself is never stored; ``created_by`` is the admin who made it (a key never
    outranks that person, and stops working while they are deactivated).
    """

    __tablename__ = "api_keys"
    __table_args__ = (
        Index("ix_api_keys_tenant", "tenant_id", "id"),
        UniqueConstraint("tenant_id", "name", name="uq_api_keys_tenant_name"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    name: str = Field(max_length=KEY_NAME_MAX)
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    role: str = Field(max_length=16)
    read_only: bool = Field(default=False)
    created_by: int | None = Field(
        default=None,
        sa_column=Column(id_type, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    expires_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    last_used_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column())
