"""What the web app shows of alerts: a person's own notifications, and for admins the
delivery status of every notification of the tenant (re-exported by ``alerts``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col

from stock_saas.db import read_session
from stock_saas.errors import Unauthorized, ValidationFailed
from stock_saas.models import AlertEpisode, Notification, User
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.scoping import scoped_columns, scoped_rows

__all__ = ["STATUSES", "DeliveryStatus", "NotificationView", "delivery_status", "my_notifications"]

MAX_LIST = 500
STATUSES = ("pending", "sending", "sent", "failed", "unknown", "skipped")


@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    episode_id: int
    username: str
    item_id: int
    department_id: int
    channel: str
    status: str
    attempts: int
    last_error: str | None
    message: str
    created_at: datetime
    sent_at: datetime | None
    episode_open: bool


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """One page of the tenant's deliveries, newest first, and counts per status."""

    rows: list[NotificationView]
    counts: dict[str, int]


def _views(session: Session, query: Any) -> list[NotificationView]:
    views = []
    for note, username, closed_at in session.execute(query):
        assert note.id is not None
        views.append(
            NotificationView(
                note.id,
                note.episode_id,
                username,
                note.item_id,
                note.department_id,
                note.channel,
                note.status,
                note.attempts,
                note.last_error,
                note.message,
                note.created_at,
                note.sent_at,
                closed_at is None,
            )
        )
    return views


def _joined(ctx: Context):  # type: ignore[no-untyped-def]
    return (
        scoped_rows(ctx, Notification, User.username, AlertEpisode.closed_at)
        .join(User, col(User.id) == col(Notification.user_id))
        .join(AlertEpisode, col(AlertEpisode.id) == col(Notification.episode_id))
    )


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIST:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIST}.")


def my_notifications(*, ctx: Context, limit: int = 20) -> list[NotificationView]:
    """The caller's own alerts, newest first (anyone signed in)."""
    require_role(ctx, Role.USER)
    if ctx.user_id is None:
        raise Unauthorized("Sign in to see your notifications.")
    _check_limit(limit)
    query = (
        _joined(ctx)
        .where(col(Notification.user_id) == ctx.user_id)
        .order_by(col(Notification.id).desc())
        .limit(limit)
    )
    with read_session() as session:
        return _views(session, query)


def delivery_status(
    *, ctx: Context, status: str | None = None, limit: int = 50, offset: int = 0
) -> DeliveryStatus:
    """Every delivery of the tenant with status, attempts and last error (admin)."""
    require_role(ctx, Role.ADMIN)
    _check_limit(limit)
    if status is not None and status not in STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(STATUSES)}.")
    if offset < 0:
        raise ValidationFailed("offset must not be negative.")
    query = _joined(ctx)
    if status is not None:
        query = query.where(col(Notification.status) == status)
    query = query.order_by(col(Notification.id).desc()).limit(limit).offset(offset)
    counting = scoped_columns(ctx, Notification, Notification.status, func.count()).group_by(
        Notification.status
    )
    with read_session() as session:
        counts = {str(name): int(n) for name, n in session.execute(counting)}
        return DeliveryStatus(_views(session, query), counts)
