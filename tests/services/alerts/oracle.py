"""The per-level alert sweep the set-based one replaced, kept as the property test's oracle.

One transaction and up to five queries per low stock level or open episode: the level is
locked, its open episode read, closed if the level recovered (now, or in the audit trail
since the episode opened), a new one opened if it is low, and the recipients' rows
written if the episode has none. Its results define what the sweep must do.
"""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import Session, col

from stock_saas.db import read_session, write_session
from stock_saas.models import (
    AlertEpisode,
    AuditLog,
    Department,
    Item,
    Notification,
    NotificationPreference,
    NotificationStatus,
    StockLevel,
    User,
)
from stock_saas.services.core import (
    Context,
    Role,
    get_scoped,
    insert_ignoring_duplicates,
    scoped,
    scoped_columns,
    scoped_update,
    utcnow,
)


def check_tenant_per_level(ctx: Context) -> None:
    open_levels = scoped_columns(ctx, AlertEpisode, AlertEpisode.stock_level_id).where(
        col(AlertEpisode.closed_at).is_(None)
    )
    query = scoped_columns(ctx, StockLevel, StockLevel.id).where(
        or_(
            col(StockLevel.quantity) < col(StockLevel.threshold),
            col(StockLevel.id).in_(open_levels),
        )
    )
    with read_session() as session:
        level_ids = list(session.execute(query.order_by(col(StockLevel.id))).scalars())
    for level_id in level_ids:
        with write_session() as session:
            level = session.exec(
                scoped(ctx, StockLevel).where(col(StockLevel.id) == level_id).with_for_update()
            ).one()
            _reconcile(session, ctx, level)


def _reconcile(session: Session, ctx: Context, level: StockLevel) -> None:
    episode = session.exec(
        scoped(ctx, AlertEpisode).where(
            col(AlertEpisode.stock_level_id) == level.id, col(AlertEpisode.closed_at).is_(None)
        )
    ).first()
    low = level.quantity < level.threshold
    if episode is not None and (not low or _recovered_since(session, ctx, episode)):
        session.execute(
            scoped_update(ctx, AlertEpisode)
            .where(col(AlertEpisode.id) == episode.id)
            .values(closed_at=utcnow())
        )
        episode = None
    if not low:
        return
    if episode is None:
        episode = _open_episode(session, ctx, level)
    _notify_recipients(session, ctx, episode, level)


def _recovered_since(session: Session, ctx: Context, episode: AlertEpisode) -> bool:
    query = scoped_columns(ctx, AuditLog, AuditLog.id).where(
        col(AuditLog.stock_level_id) == episode.stock_level_id,
        col(AuditLog.id) > (episode.opened_audit_id or 0),
        col(AuditLog.quantity_after) >= col(AuditLog.threshold),
    )
    return session.execute(query.limit(1)).first() is not None


def _open_episode(session: Session, ctx: Context, level: StockLevel) -> AlertEpisode:
    last_audit = session.execute(
        scoped_columns(ctx, AuditLog, func.max(AuditLog.id)).where(
            col(AuditLog.stock_level_id) == level.id
        )
    ).scalar_one()
    insert_ignoring_duplicates(
        session,
        AlertEpisode,
        tenant_id=ctx.tenant_id,
        stock_level_id=level.id,
        item_id=level.item_id,
        department_id=level.department_id,
        quantity=level.quantity,
        threshold=level.threshold,
        opened_audit_id=last_audit,
        opened_at=utcnow(),
    )
    return session.exec(
        scoped(ctx, AlertEpisode).where(
            col(AlertEpisode.stock_level_id) == level.id, col(AlertEpisode.closed_at).is_(None)
        )
    ).one()


def _notify_recipients(
    session: Session, ctx: Context, episode: AlertEpisode, level: StockLevel
) -> None:
    has_rows = session.execute(
        scoped_columns(ctx, Notification, Notification.id)
        .where(col(Notification.episode_id) == episode.id)
        .limit(1)
    ).first()
    if has_rows is not None:
        return
    item = get_scoped(session, ctx, Item, level.item_id)
    department = get_scoped(session, ctx, Department, level.department_id)
    message = (
        f"Low stock: {item.name} in {department.name}: {episode.quantity} left,"
        f" threshold {episode.threshold}."
    )
    recipients = session.exec(
        scoped(ctx, User).where(
            col(User.is_active),
            or_(
                col(User.role).in_((Role.ADMIN.value, Role.MANAGER.value)),
                col(User.department_id) == level.department_id,
            ),
        )
    ).all()
    for user in recipients:
        channel = user.notification_preference
        insert_ignoring_duplicates(
            session,
            Notification,
            tenant_id=ctx.tenant_id,
            user_id=user.id,
            episode_id=episode.id,
            item_id=level.item_id,
            department_id=level.department_id,
            channel=channel,
            status=NotificationStatus.SKIPPED
            if channel == NotificationPreference.NONE
            else NotificationStatus.PENDING,
            attempts=0,
            message=message[:1000],
            created_at=utcnow(),
        )
