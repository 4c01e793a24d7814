"""Low-stock alert episodes and the per-user notifications that deliver them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["AlertEpisode", "Notification", "NotificationKind", "NotificationStatus"]


class NotificationStatus(StrEnum):
    """Where one notification stands (``notifications.status``)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the worker died while sending; not resent automatically
    SKIPPED = "skipped"  # channel "none", or the stock recovered before delivery


class NotificationKind(StrEnum):
    """What a notification is about (``notifications.kind``)."""

    ALERT = "alert"  # one low-stock episode (episode_id, item_id, department_id set)
    DIGEST = "digest"  # the weekly reorder digest (period set, e.g. "2026-W48")


class AlertEpisode(SQLModel, table=True):
    """From a stock level dropping below its threshold until it is back at or above it."""

    __tablename__ = "alert_episodes"
    __table_args__ = (
        Index("ix_alert_episodes_tenant", "tenant_id", "id"),
        # At most one open episode per stock level, even when two checks race.
        Index(
            "uq_alert_episodes_open",
            "stock_level_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        # Open episodes whose notification rows the sweep has still to write (0008).
        Index(
            "ix_alert_episodes_unnotified",
            "tenant_id",
            sqlite_where=text("closed_at IS NULL AND notified_at IS NULL"),
            postgresql_where=text("closed_at IS NULL AND notified_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    stock_level_id: int = Field(
        sa_column=Column(id_type, ForeignKey("stock_levels.id", ondelete="CASCADE"), nullable=False)
    )
    item_id: int = Field(sa_type=id_type)
    department_id: int = Field(sa_type=id_type)
    quantity: int
    threshold: int
    # The newest audit row of the stock level when the episode opened: a later row at or
    # above the threshold means it recovered in between, even if no check saw it (0002).
    opened_audit_id: int | None = Field(default=None, sa_type=id_type)
    opened_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    closed_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    # When the recipients' rows were written (0008); NULL while there is nobody to tell.
    notified_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class Notification(SQLModel, table=True):
    """One delivery of one episode (or one week's digest) to one user; the unique keys make
    a second impossible."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("episode_id", "user_id", name="uq_notifications_episode_user"),
        # NULL periods (alerts) never collide; one digest per user and week.
        UniqueConstraint("user_id", "period", name="uq_notifications_user_period"),
        Index("ix_notifications_tenant_user", "tenant_id", "user_id", "id"),
        Index("ix_notifications_status", "status"),
        Index("ix_notifications_due", "tenant_id", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    user_id: int = Field(
        sa_column=Column(id_type, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(
        default=NotificationKind.ALERT,
        max_length=8,
        sa_column_kwargs={"server_default": NotificationKind.ALERT.value},
    )
    episode_id: int | None = Field(
        default=None,
        sa_column=Column(
            id_type, ForeignKey("alert_episodes.id", ondelete="CASCADE"), nullable=True
        ),
    )
    item_id: int | None = Field(default=None, sa_type=id_type)
    department_id: int | None = Field(default=None, sa_type=id_type)
    period: str | None = Field(default=None, max_length=10)
    channel: str = Field(max_length=8)
    status: str = Field(default=NotificationStatus.PENDING, max_length=12)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    subject: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    message: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    claimed_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    next_attempt_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    sent_at: datetime | None = Field(default=None, sa_column=timestamp_column())
