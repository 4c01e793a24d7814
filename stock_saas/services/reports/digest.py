"""The weekly reorder digest: who asked for it, the tenant's time zone, and queueing one
message per recipient and week into the notifications table.

Recipients: active managers and admins who turned the digest on (off by default) and
hear by e-mail or Slack. Each gets one ``kind='digest'`` notification per ISO week of the
tenant's calendar; from there the alerts' delivery sends it (claim before sending, at most
once, the same backoff and retry limits, status visible to admins).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.sql.expression import SelectOfScalar

from stock_saas.db import read_session, write_session
from stock_saas.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
    Tenant,
    User,
)
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    get_scoped,
    insert_ignoring_duplicates,
    require_person,
    require_role,
    scoped,
    scoped_columns,
    scoped_update,
)
from stock_saas.services.reports.digest_text import DIGEST_ROWS, compose_digest
from stock_saas.services.reports.reorder import reorder_list
from stock_saas.services.reports.schedule import check_time_zone, digest_period, next_digest_at

__all__ = [
    "DigestSettings",
    "digest_settings",
    "queue_weekly_digest",
    "set_time_zone",
    "set_weekly_digest",
    "tenants_due_for_digest",
]

RECIPIENT_ROLES = (Role.MANAGER.value, Role.ADMIN.value)
CHANNELS = (NotificationPreference.EMAIL.value, NotificationPreference.SLACK.value)


class DigestSettings(View):
    """The caller's digest: on or off, whether it can reach them, and when it goes out."""

    enabled: bool
    eligible: bool
    reason: str | None
    channel: NotificationPreference
    time_zone: str
    next_digest_at: UtcDatetime


def _settings(user: User, tenant: Tenant) -> DigestSettings:
    reason = None
    if user.role not in RECIPIENT_ROLES:
        reason = "The weekly digest is for managers and admins."
    elif user.notification_preference not in CHANNELS:
        reason = "Choose e-mail or Slack as your notification channel to receive it."
    return DigestSettings(
        enabled=user.weekly_digest,
        eligible=reason is None,
        reason=reason,
        channel=NotificationPreference(user.notification_preference),
        time_zone=tenant.time_zone,
        next_digest_at=next_digest_at(datetime.now(UTC), tenant.time_zone),
    )


def _me(ctx: Context) -> int:
    return require_person(ctx)


def digest_settings(*, ctx: Context) -> DigestSettings:
    """The caller's digest settings (anyone signed in)."""
    require_role(ctx, Role.USER)
    user_id = _me(ctx)
    with read_session() as session:
        user = get_scoped(session, ctx, User, user_id)
        tenant = session.get(Tenant, ctx.tenant_id)
        assert tenant is not None
        return _settings(user, tenant)


def set_weekly_digest(*, ctx: Context, enabled: bool) -> DigestSettings:
    """Turn the caller's own digest on or off (managers and admins)."""
    require_role(ctx, Role.MANAGER)
    user_id = _me(ctx)
    with write_session() as session:
        session.execute(
            scoped_update(ctx, User).where(col(User.id) == user_id).values(weekly_digest=enabled)
        )
    return digest_settings(ctx=ctx)


def set_time_zone(*, ctx: Context, time_zone: str) -> DigestSettings:
    """Set the organisation's time zone, which times the digest (admin)."""
    require_role(ctx, Role.ADMIN)
    _me(ctx)  # the answer is the caller's own settings: refuse an API key before writing
    zone = check_time_zone(time_zone)
    with write_session() as session:
        tenant = session.get(Tenant, ctx.tenant_id, with_for_update=True)
        assert tenant is not None
        tenant.time_zone = zone
        session.add(tenant)
    return digest_settings(ctx=ctx)


def _recipients(ctx: Context) -> SelectOfScalar[User]:
    return scoped(ctx, User).where(
        col(User.weekly_digest),
        col(User.is_active),
        col(User.role).in_(RECIPIENT_ROLES),
        col(User.notification_preference).in_(CHANNELS),
    )


def tenants_due_for_digest(*, now: datetime | None = None) -> list[int]:
    """Ids of the tenants whose digest is due at ``now`` and who have a recipient.

    For the scheduler only: it returns ids, never tenant data; each digest is then
    queued in that tenant's own Context.
    """
    moment = now or datetime.now(UTC)
    wanting = (
        select(col(Tenant.id), col(Tenant.time_zone))
        .join(User, col(User.tenant_id) == col(Tenant.id))
        .where(
            col(User.weekly_digest),
            col(User.is_active),
            col(User.role).in_(RECIPIENT_ROLES),
            col(User.notification_preference).in_(CHANNELS),
        )
        .distinct()
    )
    with read_session() as session:
        rows = session.execute(wanting.order_by(col(Tenant.id))).all()
    return [int(t) for t, zone in rows if digest_period(moment, zone) is not None]


def queue_weekly_digest(*, ctx: Context, now: datetime | None = None) -> int:
    """One pending digest notification per recipient who has none for this week yet;
    returns how many were queued (0 when the digest is not due). For the scheduler."""
    require_role(ctx, Role.ADMIN)
    moment = now or datetime.now(UTC)
    with read_session() as session:
        tenant = session.get(Tenant, ctx.tenant_id)
        assert tenant is not None
        period = digest_period(moment, tenant.time_zone)
        if period is None:
            return 0
        has_digest = scoped_columns(ctx, Notification, col(Notification.user_id)).where(
            col(Notification.period) == period
        )
        waiting = session.exec(_recipients(ctx).where(col(User.id).not_in(has_digest))).all()
        tenant_name = tenant.display_name or tenant.name
    if not waiting:
        return 0
    report = reorder_list(ctx=ctx, limit=DIGEST_ROWS)
    subject, text = compose_digest(tenant_name, period, report)
    with write_session() as session:
        for user in waiting:
            insert_ignoring_duplicates(
                session,
                Notification,
                tenant_id=ctx.tenant_id,
                user_id=user.id,
                kind=NotificationKind.DIGEST.value,
                period=period,
                channel=user.notification_preference,
                status=NotificationStatus.PENDING.value,
                attempts=0,
                subject=subject,
                message=text,
                created_at=datetime.now(UTC),
            )
    return len(waiting)
