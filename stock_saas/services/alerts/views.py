"""What the web app shows of alerts: a person's own notifications, and for admins the
delivery status of every notification of the tenant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col

from stock_saas.db import read_session
from stock_saas.models import (
    AlertEpisode,
    Notification,
    NotificationKind,
    NotificationStatus,
    User,
)
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    check_page,
    require_person,
    require_role,
    scoped_columns,
    scoped_rows,
)

__all__ = ["DeliveryOverview", "NotificationView", "delivery_status", "my_notifications"]

MAX_LIST = 500


class NotificationView(View):
    id: int
    kind: NotificationKind
    episode_id: int | None
    username: str
    item_id: int | None
    department_id: int | None
    subject: str
    channel: str
    status: NotificationStatus
    attempts: int
    last_error: str | None
    message: str
    created_at: UtcDatetime
    sent_at: UtcDatetime | None
    episode_open: bool


class DeliveryOverview(View):
    """One page of the tenant's deliveries, newest first, and counts per status."""

    rows: list[NotificationView]
    counts: dict[str, int]


def _views(session: Session, query: Any) -> list[NotificationView]:
    return [
        NotificationView(
            id=note.id,
            kind=note.kind,
            episode_id=note.episode_id,
            username=username,
            item_id=note.item_id,
            department_id=note.department_id,
            subject=note.subject,
            channel=note.channel,
            status=note.status,
            attempts=note.attempts,
            last_error=note.last_error,
            message=note.message,
            created_at=note.created_at,
            sent_at=note.sent_at,
            episode_open=note.episode_id is not None and closed_at is None,
        )
        for note, username, closed_at in session.execute(query)
    ]


def _joined(ctx: Context):  # type: ignore[no-untyped-def]
    return (
        scoped_rows(ctx, Notification, User.username, AlertEpisode.closed_at)
        .join(User, col(User.id) == col(Notification.user_id))
        .outerjoin(AlertEpisode, col(AlertEpisode.id) == col(Notification.episode_id))
    )


def my_notifications(*, ctx: Context, limit: int = 20) -> list[NotificationView]:
    """The caller's own alerts, newest first (anyone signed in)."""
    require_role(ctx, Role.USER)
    require_person(ctx)
    check_page(limit, maximum=MAX_LIST)
    query = (
        _joined(ctx)
        .where(col(Notification.user_id) == ctx.user_id)
        .order_by(col(Notification.id).desc())
        .limit(limit)
    )
    with read_session() as session:
        return _views(session, query)


def delivery_status(
    *,
    ctx: Context,
    status: NotificationStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> DeliveryOverview:
    """Every delivery of the tenant with status, attempts and last error (admin)."""
    require_role(ctx, Role.ADMIN)
    check_page(limit, offset, maximum=MAX_LIST)
    status = None if status is None else NotificationStatus(status)
    query = _joined(ctx)
    if status is not None:
        query = query.where(col(Notification.status) == status)
    query = query.order_by(col(Notification.id).desc()).limit(limit).offset(offset)
    counting = scoped_columns(ctx, Notification, Notification.status, func.count()).group_by(
        Notification.status
    )
    with read_session() as session:
        counts = {str(name): int(n) for name, n in session.execute(counting)}
        return DeliveryOverview(rows=_views(session, query), counts=counts)
