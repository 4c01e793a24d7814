"""Sending alert notifications: claim a row, send it, record the outcome.

A row is claimed with a guarded ``UPDATE … SET status='sending' WHERE status='pending'``
committed *before* the message goes out, so two workers can never send the same row.
The external message is **at most once**: a row a dead worker left in ``sending`` is not
resent (the worker most likely died waiting for the answer to a message the endpoint
already had, and Slack webhooks and SMTP have no idempotency key). After
ALERT_SENDING_LEASE_SECONDS such a row turns ``unknown`` with an explanation; an admin
can send it again with :func:`retry_delivery`. Every other failure is retried with
exponential backoff (ALERT_RETRY_BASE_SECONDS x 2^n, Slack's ``Retry-After`` when it
asks) up to ALERT_MAX_ATTEMPTS, then ``failed``; status, attempts and last_error stay
visible to admins. A row whose episode closed before it went out is ``skipped``.

The sender is passed in (the tasks layer owns Slack and SMTP), so services stay
independent of the transports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_
from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.models import (
    AlertEpisode,
    Department,
    Item,
    Notification,
    NotificationKind,
    NotificationStatus,
    User,
)
from stock_saas.services.alerts.outcomes import (
    DeliveryFailed,
    record_failure,
    record_sent,
    retry_delivery,
)
from stock_saas.services.core import (
    Context,
    Role,
    TenantBatch,
    as_utc,
    batch_columns,
    get_scoped,
    require_role,
    scoped_columns,
    scoped_update,
    utcnow,
)

__all__ = [
    "Delivery",
    "DeliveryFailed",
    "DeliveryReport",
    "Sender",
    "deliver_due",
    "retry_delivery",
    "tenants_with_deliveries",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message to one person, as a sender needs it."""

    notification_id: int
    tenant_id: int
    channel: str
    username: str
    address: str | None
    subject: str
    text: str
    kind: NotificationKind = NotificationKind.ALERT


Sender = Callable[[Delivery], None]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    unknown: int = 0
    next_due_in: float | None = None  # seconds until the next retry is due, if any


def deliver_due(*, ctx: Context, send: Sender, limit: int = 200) -> DeliveryReport:
    """Send the tenant's pending notifications that are due, each through ``send``."""
    require_role(ctx, Role.ADMIN)
    settings = get_settings()
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0, "unknown": 0}
    counts["unknown"] = _expire_stuck(ctx, settings.alert_sending_lease_seconds)
    now = utcnow()
    due = scoped_columns(ctx, Notification, Notification.id).where(
        col(Notification.status) == NotificationStatus.PENDING,
        or_(col(Notification.next_attempt_at).is_(None), col(Notification.next_attempt_at) <= now),
    )
    with read_session() as session:
        ids = list(session.execute(due.order_by(col(Notification.id)).limit(limit)).scalars())
    for notification_id in ids:
        delivery = _claim(ctx, notification_id, settings.alert_email_to)
        if delivery is None:
            continue
        if isinstance(delivery, str):
            counts[delivery] += 1
            continue
        try:
            send(delivery)
        except DeliveryFailed as exc:
            counts[record_failure(ctx, delivery, exc)] += 1
        except Exception as exc:  # a sender bug must not stop the other deliveries
            log.exception("sending notification %s failed", notification_id)
            counts[
                record_failure(ctx, delivery, DeliveryFailed(f"{type(exc).__name__}: {exc}"))
            ] += 1
        else:
            record_sent(ctx, notification_id)
            counts["sent"] += 1
    return DeliveryReport(**counts, next_due_in=_next_due_in(ctx))


def tenants_with_deliveries(*, batch: TenantBatch) -> list[int]:
    """The batch's tenants with a notification pending or being sent (for the sweep, so a
    tenant with nothing to deliver costs it no query of its own)."""
    for ctx in batch.contexts:
        require_role(ctx, Role.ADMIN)
    query = (
        batch_columns(batch, Notification, Notification.tenant_id)
        .where(
            col(Notification.status).in_((NotificationStatus.PENDING, NotificationStatus.SENDING))
        )
        .distinct()
    )
    with read_session() as session:
        return sorted(int(tenant_id) for tenant_id in session.execute(query).scalars())


def _expire_stuck(ctx: Context, lease_seconds: int) -> int:
    cutoff = utcnow() - timedelta(seconds=lease_seconds)
    with write_session() as session:
        result = session.execute(
            scoped_update(ctx, Notification)
            .where(
                col(Notification.status) == NotificationStatus.SENDING,
                col(Notification.claimed_at) < cutoff,
            )
            .values(
                status=NotificationStatus.UNKNOWN,
                last_error=(
                    "The worker stopped while sending; the message may or may not have gone"
                    " out, so it is not resent automatically (retry it to send again)."
                ),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(ctx: Context, notification_id: int, fallback_email: str | None) -> Delivery | str | None:
    """Take the row for this worker; None if another took it, "skipped" if it is moot."""
    now = utcnow()
    with write_session() as session:
        claimed = session.execute(
            scoped_update(ctx, Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status) == NotificationStatus.PENDING,
            )
            .values(
                status=NotificationStatus.SENDING,
                claimed_at=now,
                attempts=col(Notification.attempts) + 1,
            )
            .returning(col(Notification.id))
        ).first()
        if claimed is None:
            return None
        note = get_scoped(session, ctx, Notification, notification_id)
        # A digest (services.reports) has no episode: it is sent whatever the stock does.
        if note.episode_id is not None:
            episode = get_scoped(session, ctx, AlertEpisode, note.episode_id)
            if episode.closed_at is not None:
                note.status, note.last_error = (
                    NotificationStatus.SKIPPED,
                    "Stock recovered before delivery.",
                )
                session.add(note)
                return "skipped"
        user = get_scoped(session, ctx, User, note.user_id)
        item = session.get(Item, note.item_id) if note.item_id is not None else None
        department = (
            session.get(Department, note.department_id) if note.department_id is not None else None
        )
    assert note.id is not None
    subject = note.subject or "Low stock"
    if not note.subject and item is not None and department is not None:
        subject = f"Low stock: {item.name} in {department.name}"
    return Delivery(
        notification_id=note.id,
        tenant_id=ctx.tenant_id,
        channel=note.channel,
        username=user.username,
        address=user.email or fallback_email,
        subject=subject,
        text=note.message,
        kind=NotificationKind(note.kind),
    )


def _next_due_in(ctx: Context) -> float | None:
    query = scoped_columns(ctx, Notification, func.min(Notification.next_attempt_at)).where(
        col(Notification.status) == NotificationStatus.PENDING
    )
    with read_session() as session:
        earliest = session.execute(query).scalar_one()
        if earliest is None:
            pending = session.execute(
                scoped_columns(ctx, Notification, Notification.id)
                .where(col(Notification.status) == NotificationStatus.PENDING)
                .limit(1)
            ).first()
            return 0.0 if pending is not None else None
    return max((as_utc(earliest) - utcnow()).total_seconds(), 0.0)
