"""Low-stock alert episodes and who is told about them.

An episode runs from a stock level dropping below its threshold until it is back at or
above it. Checks are idempotent and safe to run concurrently: the stock level row is
locked while it is reconciled, the partial unique index allows one open episode per
stock level, and notification rows are inserted with ON CONFLICT DO NOTHING on
(episode, user), so a second notification of the same episode to the same person cannot
exist. A recovery that no check saw (stock went back up and down again between checks)
is found in the audit log, so the new drop still opens a new episode.

Recipients are fixed when an episode opens: the tenant's active admins and managers,
and active users of the stock level's department. Each gets one row on the channel of
their ``notification_preference``; ``none`` rows are ``skipped`` (shown in the web app,
never sent). Sending is :mod:`.delivery`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
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
    Tenant,
    User,
)
from stock_saas.services.core import (
    Context,
    Role,
    get_scoped,
    insert_ignoring_duplicates,
    require_role,
    scoped,
    scoped_columns,
    scoped_update,
    utcnow,
)

__all__ = ["AlertCheck", "check_stock_level", "check_tenant", "tenants_to_check"]


@dataclass(frozen=True, slots=True)
class AlertCheck:
    """What one check changed: episodes opened and closed, notification rows created."""

    opened: int = 0
    closed: int = 0
    notifications: int = 0

    def __add__(self, other: AlertCheck) -> AlertCheck:
        return AlertCheck(
            self.opened + other.opened,
            self.closed + other.closed,
            self.notifications + other.notifications,
        )


# ---- checks --------------------------------------------------------------------------


def tenants_to_check(*, deliveries_only: bool = False) -> list[int]:
    """Ids of the tenants with low stock, an open episode or a delivery under way
    (only the last with ``deliveries_only``).

    For the scheduler's sweeps only: it returns ids, never tenant data; every check then
    runs in that tenant's own Context.
    """
    low = select(col(StockLevel.tenant_id)).where(
        col(StockLevel.quantity) < col(StockLevel.threshold)
    )
    open_episodes = select(col(AlertEpisode.tenant_id)).where(col(AlertEpisode.closed_at).is_(None))
    busy = select(col(Notification.tenant_id)).where(
        col(Notification.status).in_((NotificationStatus.PENDING, NotificationStatus.SENDING))
    )
    wanted = [col(Tenant.id).in_(busy.distinct())]
    if not deliveries_only:
        wanted += [col(Tenant.id).in_(low.distinct()), col(Tenant.id).in_(open_episodes.distinct())]
    query = select(col(Tenant.id)).where(or_(*wanted))
    with read_session() as session:
        return [
            int(tenant_id)
            for tenant_id in session.execute(query.order_by(col(Tenant.id))).scalars()
        ]


def check_stock_level(*, ctx: Context, stock_level_id: int) -> AlertCheck:
    """Open or close the episode of one stock level to match its quantity now (admin)."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        level = get_scoped(session, ctx, StockLevel, stock_level_id, lock=True)
        return _reconcile(session, ctx, level)


def check_tenant(*, ctx: Context) -> AlertCheck:
    """The sweep: reconcile every low stock level and every open episode of the tenant."""
    require_role(ctx, Role.ADMIN)
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
    total = AlertCheck()
    for level_id in level_ids:
        with write_session() as session:
            level = session.exec(
                scoped(ctx, StockLevel).where(col(StockLevel.id) == level_id).with_for_update()
            ).first()
            if level is not None:  # deleted since the list was read
                total += _reconcile(session, ctx, level)
    return total


def _reconcile(session: Session, ctx: Context, level: StockLevel) -> AlertCheck:
    episode = session.exec(
        scoped(ctx, AlertEpisode).where(
            col(AlertEpisode.stock_level_id) == level.id, col(AlertEpisode.closed_at).is_(None)
        )
    ).first()
    low = level.quantity < level.threshold
    closed = 0
    if episode is not None and (not low or _recovered_since(session, ctx, episode)):
        session.execute(
            scoped_update(ctx, AlertEpisode)
            .where(col(AlertEpisode.id) == episode.id, col(AlertEpisode.closed_at).is_(None))
            .values(closed_at=utcnow())
        )
        episode, closed = None, 1
    if not low:
        return AlertCheck(closed=closed)
    opened = 0
    if episode is None:
        episode, opened = _open_episode(session, ctx, level), 1
    return AlertCheck(opened, closed, _notify_recipients(session, ctx, episode, level))


def _recovered_since(session: Session, ctx: Context, episode: AlertEpisode) -> bool:
    """Whether an audit row after the episode opened left the level at/above threshold."""
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
    episode = session.exec(
        scoped(ctx, AlertEpisode).where(
            col(AlertEpisode.stock_level_id) == level.id, col(AlertEpisode.closed_at).is_(None)
        )
    ).one()
    return episode


def _notify_recipients(
    session: Session, ctx: Context, episode: AlertEpisode, level: StockLevel
) -> int:
    """One notification row per recipient, unless the episode already has its rows."""
    has_rows = session.execute(
        scoped_columns(ctx, Notification, Notification.id)
        .where(col(Notification.episode_id) == episode.id)
        .limit(1)
    ).first()
    if has_rows is not None:
        return 0
    item = get_scoped(session, ctx, Item, level.item_id)
    department = get_scoped(session, ctx, Department, level.department_id)
    message = (
        f"Low stock: {item.name} in {department.name}: {episode.quantity} left,"
        f" threshold {episode.threshold}."
    )
    recipients = session.exec(
        scoped(ctx, User)
        .where(
            col(User.is_active),
            or_(
                col(User.role).in_((Role.ADMIN.value, Role.MANAGER.value)),
                col(User.department_id) == level.department_id,
            ),
        )
        .order_by(col(User.id))
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
    return len(recipients)
