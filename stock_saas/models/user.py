"""People: users (global unique username, one tenant each), invites, login attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, false
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = [
    "USERNAME_MAX",
    "Invite",
    "InviteStatus",
    "LoginAttempt",
    "NotificationPreference",
    "RecoveryCode",
    "User",
]


class NotificationPreference(StrEnum):
    """How a person hears about low stock; also the channel of their notifications."""

    EMAIL = "email"
    SLACK = "slack"
    NONE = "none"


class InviteStatus(StrEnum):
    """Where an invite code stands (computed from its timestamps, never stored)."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


USERNAME_MAX = 64


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_tenant_role", "tenant_id", "role"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    username: str = Field(max_length=USERNAME_MAX, unique=True)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    notification_preference: str = Field(default=NotificationPreference.EMAIL, max_length=8)
    department_id: int | None = Field(
        default=None,
        sa_column=Column(id_type, ForeignKey("departments.id", ondelete="SET NULL"), nullable=True),
    )
    is_active: bool = Field(default=True)
    # Tokens carry the version they were issued under; signing out increments it, which
    # revokes every earlier token of this user (services.people.sign_out).
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Opt-in to the Monday reorder digest (managers and admins; services.reports).
    weekly_digest: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Two-factor sign-in (services.people.two_factor): the TOTP secret (pending until
    # confirmed), when it was turned on, and the last time step used (codes are single-use).
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())


class RecoveryCode(SQLModel, table=True):
    """A single-use code that signs in instead of a TOTP code; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_user", "user_id", "code_hash"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    user_id: int = Field(
        sa_column=Column(id_type, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class Invite(SQLModel, table=True):
    """A single-use, expiring code that lets someone join a tenant with a given role."""

    __tablename__ = "invites"
    __table_args__ = (Index("ix_invites_tenant", "tenant_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    code_hash: str = Field(max_length=64, unique=True)
    code_hint: str = Field(max_length=8)
    role: str = Field(max_length=16)
    department_id: int | None = Field(
        default=None,
        sa_column=Column(id_type, ForeignKey("departments.id", ondelete="SET NULL"), nullable=True),
    )
    created_by: int | None = Field(default=None, sa_type=id_type)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    expires_at: datetime = Field(sa_column=timestamp_column(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    used_by: int | None = Field(default=None, sa_type=id_type)
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, keyed by ``user:<name>`` or ``ip:<addr>``; shared by all workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_time", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
