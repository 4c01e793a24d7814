"""Webhook deliveries: one row per matching endpoint and event, claimed by a worker for
each attempt, retried after ``WEBHOOK_RETRY_BASE_SECONDS * 2**(attempt-1)`` up to
WEBHOOK_MAX_ATTEMPTS; WEBHOOK_PAUSE_AFTER_FAILURES failed attempts in a row pause the
endpoint. The unique (endpoint, event id) key lets every process that sees an event record
it while only one row exists.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import col, select

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from stock_saas.services.core import (
    Context,
    Role,
    as_utc,
    check_page,
    get_scoped,
    insert_ignoring_duplicates,
    require_role,
    scoped,
    scoped_update,
    utcnow,
)
from stock_saas.services.events import Envelope
from stock_saas.services.webhooks.views import DeliveryJob, DeliveryView

__all__ = [
    "claim_delivery",
    "due_deliveries",
    "list_deliveries",
    "record_deliveries",
    "record_result",
]

MAX_LIST = 500


def list_deliveries(
    *, ctx: Context, endpoint_id: int | None = None, limit: int = 50
) -> list[DeliveryView]:
    """The newest deliveries (of one endpoint, or all), newest first."""
    require_role(ctx, Role.ADMIN)
    check_page(limit, maximum=MAX_LIST)
    with read_session() as session:
        query = scoped(ctx, WebhookDelivery)
        if endpoint_id is not None:
            get_scoped(session, ctx, WebhookEndpoint, endpoint_id)
            query = query.where(col(WebhookDelivery.endpoint_id) == endpoint_id)
        rows = session.exec(query.order_by(col(WebhookDelivery.id).desc()).limit(limit))
        return [DeliveryView.of(r) for r in rows]


def record_deliveries(*, ctx: Context, envelope: Envelope) -> list[int]:
    """One pending delivery per active endpoint of the tenant that wants this event;
    the ids of the pending rows for it (also those another process recorded first)."""
    require_role(ctx, Role.ADMIN)
    if envelope.event.tenant_id != ctx.tenant_id:
        return []
    kind = envelope.event.type
    body = json.dumps(envelope.payload(), separators=(",", ":"))
    with write_session() as session:
        endpoints = [
            e.id
            for e in session.exec(scoped(ctx, WebhookEndpoint).where(col(WebhookEndpoint.active)))
            if kind in e.event_types.split(",")
        ]
        if not endpoints:
            return []
        for endpoint_id in endpoints:
            insert_ignoring_duplicates(
                session,
                WebhookDelivery,
                tenant_id=ctx.tenant_id,
                endpoint_id=endpoint_id,
                event_id=envelope.id,
                event_type=kind,
                body=body,
                status=WebhookDeliveryStatus.PENDING,
                attempts=0,
                created_at=utcnow(),
            )
        rows = session.exec(
            scoped(ctx, WebhookDelivery).where(
                col(WebhookDelivery.endpoint_id).in_(endpoints),
                col(WebhookDelivery.event_id) == envelope.id,
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
            )
        )
        return [r.id for r in rows if r.id is not None]


def claim_delivery(*, ctx: Context, delivery_id: int) -> DeliveryJob | None:
    """Take a due delivery of an active endpoint for one attempt; None if not ours now."""
    require_role(ctx, Role.ADMIN)
    now = utcnow()
    with write_session() as session:
        row = session.exec(
            scoped(ctx, WebhookDelivery).where(col(WebhookDelivery.id) == delivery_id)
        ).first()
        if row is None or row.status != WebhookDeliveryStatus.PENDING:
            return None
        endpoint = get_scoped(session, ctx, WebhookEndpoint, row.endpoint_id)
        if not endpoint.active:
            return None
        if row.next_attempt_at is not None and as_utc(row.next_attempt_at) > now:
            return None
        claimed = session.execute(
            scoped_update(ctx, WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == delivery_id,
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
            )
            .values(status=WebhookDeliveryStatus.SENDING, claimed_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return DeliveryJob(
            delivery_id,
            ctx.tenant_id,
            endpoint.url,
            endpoint.secret,
            row.body,
            row.event_type,
            row.event_id,
        )


def record_result(
    *, ctx: Context, delivery_id: int, response_code: int | None, error: str | None
) -> float | None:
    """Record one attempt; the seconds until the retry, or None when there is none."""
    require_role(ctx, Role.ADMIN)
    settings = get_settings()
    ok = error is None and response_code is not None and 200 <= response_code < 300
    now = utcnow()
    with write_session() as session:
        delivery = get_scoped(session, ctx, WebhookDelivery, delivery_id, lock=True)
        endpoint = get_scoped(session, ctx, WebhookEndpoint, delivery.endpoint_id, lock=True)
        delivery.attempts += 1
        delivery.response_code = response_code
        delivery.claimed_at = None
        retry_in: float | None = None
        if ok:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                WebhookDeliveryStatus.DELIVERED,
                now,
                None,
            )
            endpoint.consecutive_failures = 0
        else:
            delivery.last_error = (error or f"HTTP {response_code}")[:500]
            endpoint.consecutive_failures += 1
            if delivery.attempts >= settings.webhook_max_attempts:
                delivery.status, delivery.next_attempt_at = WebhookDeliveryStatus.FAILED, None
            else:
                retry_in = settings.webhook_retry_base_seconds * 2 ** (delivery.attempts - 1)
                delivery.status = WebhookDeliveryStatus.PENDING
                delivery.next_attempt_at = now + timedelta(seconds=retry_in)
            if (
                endpoint.active
                and endpoint.consecutive_failures >= settings.webhook_pause_after_failures
            ):
                endpoint.active, endpoint.paused_at = False, now
                endpoint.paused_reason = (
                    f"Paused after {endpoint.consecutive_failures} failed attempts in a row; "
                    f"last: {delivery.last_error}"
                )[:500]
        session.add(delivery)
        session.add(endpoint)
        return retry_in if endpoint.active else None


def due_deliveries(*, limit: int = 200) -> list[tuple[int, int]]:
    """(tenant id, delivery id) of pending deliveries now due, and of attempts stuck in
    "sending" past the lease (a worker died); for the periodic sweep (all tenants)."""
    now = utcnow()
    lease = timedelta(seconds=get_settings().webhook_timeout_seconds * 3 + 60)
    with write_session() as session:
        session.execute(
            WebhookDelivery.__table__.update()  # type: ignore[attr-defined]
            .where(
                col(WebhookDelivery.status) == WebhookDeliveryStatus.SENDING,
                col(WebhookDelivery.claimed_at) < now - lease,
            )
            .values(status=WebhookDeliveryStatus.PENDING, next_attempt_at=now)
        )
        rows = session.exec(
            select(WebhookDelivery.tenant_id, WebhookDelivery.id)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookEndpoint.active),
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
                (col(WebhookDelivery.next_attempt_at).is_(None))
                | (col(WebhookDelivery.next_attempt_at) <= now),
            )
            .order_by(col(WebhookDelivery.id))
            .limit(limit)
        )
        return [(int(t), int(i)) for t, i in rows if i is not None]
