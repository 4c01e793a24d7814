"""What became of a sent alert notification: sent, retried with backoff, failed, and an
admin's retry of a failed or unknown delivery (the rules in :mod:`.delivery`'s docstring)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import write_session
from stock_saas.errors import Conflict
from stock_saas.models import Notification, NotificationStatus
from stock_saas.services.core import (
    Context,
    Role,
    get_scoped,
    require_role,
    scoped_update,
    utcnow,
)

if TYPE_CHECKING:
    from stock_saas.services.alerts.delivery import Delivery

__all__ = ["DeliveryFailed", "record_failure", "record_sent", "retry_delivery"]

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 3600


class DeliveryFailed(Exception):
    """A sender could not deliver. ``retry_after``: the endpoint asked us to wait (not
    counted as an attempt); ``permanent``: retrying cannot help."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


def record_sent(ctx: Context, notification_id: int) -> None:
    with write_session() as session:
        session.execute(
            scoped_update(ctx, Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status).in_(
                    (NotificationStatus.SENDING, NotificationStatus.UNKNOWN)
                ),
            )
            .values(
                status=NotificationStatus.SENT,
                sent_at=utcnow(),
                last_error=None,
                next_attempt_at=None,
            )
        )


def record_failure(ctx: Context, delivery: Delivery, exc: DeliveryFailed) -> str:
    """Schedule the retry or give up; returns the report bucket."""
    settings = get_settings()
    with write_session() as session:
        note = get_scoped(session, ctx, Notification, delivery.notification_id, lock=True)
        if note.status != NotificationStatus.SENDING:
            return "unknown"
        note.last_error = exc.reason[:500]
        if exc.retry_after is not None:
            # The endpoint asked us to slow down; that is not this message's fault.
            note.attempts = max(note.attempts - 1, 0)
            delay = max(exc.retry_after, 1.0)
        else:
            delay = min(
                settings.alert_retry_base_seconds * 2 ** max(note.attempts - 1, 0),
                MAX_BACKOFF_SECONDS,
            )
        if exc.permanent or (
            exc.retry_after is None and note.attempts >= settings.alert_max_attempts
        ):
            note.status, note.next_attempt_at = NotificationStatus.FAILED, None
            bucket = "failed"
        else:
            note.status, note.next_attempt_at = (
                NotificationStatus.PENDING,
                utcnow() + timedelta(seconds=delay),
            )
            bucket = "retrying"
        session.add(note)
    log.warning(
        "notification %s via %s: %s (%s)", delivery.notification_id, delivery.channel, exc, bucket
    )
    return bucket


def retry_delivery(*, ctx: Context, notification_id: int) -> None:
    """Queue a ``failed`` or ``unknown`` delivery again, with fresh attempts (admin)."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        note = get_scoped(session, ctx, Notification, notification_id, lock=True)
        if note.status not in (NotificationStatus.FAILED, NotificationStatus.UNKNOWN):
            raise Conflict(
                f"Only failed or unknown deliveries can be retried; this is {note.status}."
            )
        note.status, note.attempts, note.next_attempt_at = NotificationStatus.PENDING, 0, None
        session.add(note)
