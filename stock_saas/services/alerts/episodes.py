"""Low-stock alert episodes and who is told about them.

An episode runs from a stock level dropping below its threshold until it is back at or
above it. Checks are idempotent and safe to run concurrently: reconciliation is
set-based (:mod:`.reconcile`: close the recovered, open the missing, write the missing
notification rows, a few statements for a whole batch of tenants), the partial unique
index allows one open episode per stock level, and notification rows are inserted with
ON CONFLICT DO NOTHING on (episode, user), so a second notification of the same episode
to the same person cannot exist. A recovery that no check saw (stock went back up and
down again between checks) is found in the audit log, so the new drop still opens a new
episode.

The scheduler's sweep splits the tenants with work into batches (:func:`sweep_batches`)
that Celery workers reconcile in parallel (:func:`check_tenants`); a change that crosses
a threshold checks its one stock level at once (:func:`check_stock_level`).

Recipients are fixed when an episode opens: the tenant's active admins and managers,
and active users of the stock level's department. Each gets one row on the channel of
their ``notification_preference``; ``none`` rows are ``skipped`` (shown in the web app,
never sent). Sending is :mod:`.delivery`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.models import (
    AlertEpisode,
    Notification,
    NotificationStatus,
    StockLevel,
    Tenant,
)
from stock_saas.services.alerts.reconcile import close_recovered, notify_open, open_missing
from stock_saas.services.core import (
    Context,
    Role,
    TenantBatch,
    get_scoped,
    require_role,
    utcnow,
)

__all__ = [
    "AlertCheck",
    "check_stock_level",
    "check_tenant",
    "check_tenants",
    "sweep_batches",
    "tenants_to_check",
]

# A sweep batch holds up to this many tenants, or stops growing at this many low levels
# and open episodes (a big tenant is a batch of its own).
BATCH_TENANTS = 200
BATCH_LEVELS = 2_000


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


def sweep_batches(
    *, max_tenants: int = BATCH_TENANTS, max_levels: int = BATCH_LEVELS
) -> list[list[int]]:
    """The tenants with work (see :func:`tenants_to_check`) in batches of about equal
    weight (low levels plus open episodes), in tenant id order; for the scheduler only."""
    low = (
        select(col(StockLevel.tenant_id), func.count())
        .where(col(StockLevel.quantity) < col(StockLevel.threshold))
        .group_by(col(StockLevel.tenant_id))
    )
    open_episodes = (
        select(col(AlertEpisode.tenant_id), func.count())
        .where(col(AlertEpisode.closed_at).is_(None))
        .group_by(col(AlertEpisode.tenant_id))
    )
    weight: dict[int, int] = {}
    with read_session() as session:
        for query in (low, open_episodes):
            for tenant_id, count in session.execute(query):
                weight[int(tenant_id)] = weight.get(int(tenant_id), 0) + int(count)
    for tenant_id in tenants_to_check(deliveries_only=True):
        weight.setdefault(tenant_id, 1)
    batches: list[list[int]] = []
    size = max_levels  # start a new batch at once
    for tenant_id in sorted(weight):
        if size >= max_levels or len(batches[-1]) >= max_tenants:
            batches.append([])
            size = 0
        batches[-1].append(tenant_id)
        size += weight[tenant_id]
    return batches


def check_stock_level(*, ctx: Context, stock_level_id: int) -> AlertCheck:
    """Open or close the episode of one stock level to match its quantity now (admin).

    The level stays locked until the check commits, so checks of one level run one at a
    time, like a movement on it."""
    require_role(ctx, Role.ADMIN)
    scope, now = TenantBatch.of([ctx]), utcnow()
    with write_session() as session:
        get_scoped(session, ctx, StockLevel, stock_level_id, lock=True)
        closed = close_recovered(session, scope, now, stock_level_id)
        opened = open_missing(session, scope, now, stock_level_id)
        notifications = notify_open(session, scope, now, stock_level_id)
    return AlertCheck(opened=opened, closed=closed, notifications=notifications)


def check_tenant(*, ctx: Context) -> AlertCheck:
    """The sweep of one tenant: reconcile every low stock level and open episode (admin)."""
    return check_tenants(batch=TenantBatch.of([ctx]))


def check_tenants(*, batch: TenantBatch) -> AlertCheck:
    """The sweep of a batch of tenants: three statements for all of them (admin).

    Each statement commits on its own (a sweep interrupted half-way leaves a consistent
    state that the next one completes), so the sweep never holds an episode's lock while
    it waits for a stock level's."""
    for ctx in batch.contexts:
        require_role(ctx, Role.ADMIN)
    if not batch.contexts:
        return AlertCheck()
    now = utcnow()
    with write_session() as session:
        closed = close_recovered(session, batch, now)
    with write_session() as session:
        opened = open_missing(session, batch, now)
    with write_session() as session:
        notifications = notify_open(session, batch, now)
    return AlertCheck(opened=opened, closed=closed, notifications=notifications)
