"""Webhook deliveries: one row per matching endpoint and event, sent in order per
endpoint: one sender per endpoint at a time claims its oldest pending rows (up to
WEBHOOK_BATCH_MAX in one POST when it lags), and a row waiting for its retry holds back
the rows after it. Retried after ``WEBHOOK_RETRY_BASE_SECONDS * 2**(attempt-1)`` up to
WEBHOOK_MAX_ATTEMPTS; WEBHOOK_PAUSE_AFTER_FAILURES failed attempts in a row pause the
endpoint. The unique (endpoint, event id) key lets every process that sees an event record
it while only one row exists.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

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
    insert_all_ignoring_duplicates,
    require_role,
    scoped,
    scoped_update,
    utcnow,
)
from stock_saas.services.events import Envelope
from stock_saas.services.webhooks.views import DeliveryBatch, DeliveryJob, DeliveryView

__all__ = [
    "claim_batch",
    "due_deliveries",
    "has_sender",
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


def record_deliveries(*, ctx: Context, envelopes: list[Envelope]) -> list[int]:
    """One pending delivery per active endpoint of the tenant that wants each event (once,
    whichever process records it first), in the events' order, in one transaction; the
    ids of the endpoints that got one, to send to."""
    require_role(ctx, Role.ADMIN)
    mine = [e for e in envelopes if e.event.tenant_id == ctx.tenant_id]
    if not mine:
        return []
    touched: set[int] = set()
    rows: list[dict[str, object]] = []
    now = utcnow()
    with write_session() as session:
        endpoints = [
            (int(e.id), e.event_types.split(","))  # type: ignore[arg-type]
            for e in session.exec(scoped(ctx, WebhookEndpoint).where(col(WebhookEndpoint.active)))
        ]
        for envelope in mine:
            kind = envelope.event.type
            body = json.dumps(envelope.payload(), separators=(",", ":"))
            for endpoint_id, kinds in endpoints:
                if kind not in kinds:
                    continue
                touched.add(endpoint_id)
                rows.append(
                    {
                        "tenant_id": ctx.tenant_id,
                        "endpoint_id": endpoint_id,
                        "event_id": envelope.id,
                        "event_type": kind,
                        "body": body,
                        "status": WebhookDeliveryStatus.PENDING,
                        "attempts": 0,
                        "created_at": now,
                    }
                )
        # One statement for the batch, rows in the events' order (ids, hence sending order).
        insert_all_ignoring_duplicates(session, WebhookDelivery, rows)
    return sorted(touched)


def has_sender(*, ctx: Context, endpoint_id: int) -> bool:
    """Whether another sender has an attempt of the endpoint under way, read without its
    lock. Such a sender claims again once it records that attempt, so it sends whatever was
    committed before this read; a task queued for rows it will send can leave at once
    instead of waiting in line for the endpoint's lock (at 50 events/s, three tasks a
    change queued behind the sender's own claims)."""
    require_role(ctx, Role.ADMIN)
    with read_session() as session:
        return session.exec(_sending(ctx, endpoint_id)).first() is not None


def _of_endpoint(ctx: Context, endpoint_id: int) -> Any:
    return scoped(ctx, WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint_id)


def _sending(ctx: Context, endpoint_id: int) -> Any:
    """One of the endpoint's rows in an attempt under way, if any (one sender at a time)."""
    of_endpoint = _of_endpoint(ctx, endpoint_id)
    return of_endpoint.where(col(WebhookDelivery.status) == WebhookDeliveryStatus.SENDING).limit(1)


def claim_batch(*, ctx: Context, endpoint_id: int) -> DeliveryBatch | None:
    """Take the endpoint's oldest due pending deliveries (up to WEBHOOK_BATCH_MAX) for one
    attempt; None when it is paused, another sender has it, its oldest row waits for a
    retry (order per endpoint), or nothing is pending."""
    require_role(ctx, Role.ADMIN)
    now = utcnow()
    of_endpoint = _of_endpoint(ctx, endpoint_id)
    with write_session() as session:
        # The endpoint's row lock makes its claims one at a time (SQLite: the write lock);
        # NO KEY UPDATE, so recording new deliveries (their foreign key) never waits on it.
        endpoint = get_scoped(session, ctx, WebhookEndpoint, endpoint_id, lock=True, key_share=True)
        if not endpoint.active:
            return None
        if session.exec(_sending(ctx, endpoint_id)).first() is not None:
            return None
        pending = session.exec(
            of_endpoint.where(col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING)
            .order_by(col(WebhookDelivery.id))
            .limit(get_settings().webhook_batch_max)
        ).all()
        due = []
        for row in pending:  # the oldest rows that are due, up to the first that waits
            if row.next_attempt_at is not None and as_utc(row.next_attempt_at) > now:
                break
            due.append(row)
        if not due:
            return None
        ids = [row.id for row in due]
        session.execute(
            scoped_update(ctx, WebhookDelivery)
            .where(col(WebhookDelivery.id).in_(ids))
            .values(status=WebhookDeliveryStatus.SENDING, claimed_at=now)
        )
        jobs = tuple(
            DeliveryJob(
                int(row.id),  # type: ignore[arg-type]
                ctx.tenant_id,
                endpoint.url,
                endpoint.secret,
                row.body,
                row.event_type,
                row.event_id,
            )
            for row in due
        )
        return DeliveryBatch(ctx.tenant_id, endpoint_id, endpoint.url, endpoint.secret, jobs)


def record_result(
    *, ctx: Context, delivery_ids: list[int], response_code: int | None, error: str | None
) -> float | None:
    """Record one attempt (one POST) of these deliveries of one endpoint; the seconds until
    the retry, or None when there is none."""
    require_role(ctx, Role.ADMIN)
    settings = get_settings()
    ok = error is None and response_code is not None and 200 <= response_code < 300
    now = utcnow()
    retry_in: float | None = None
    with write_session() as session:
        # Locks in the order claim_batch takes them: the endpoint, then its deliveries.
        first = get_scoped(session, ctx, WebhookDelivery, min(delivery_ids))
        endpoint = get_scoped(
            session, ctx, WebhookEndpoint, first.endpoint_id, lock=True, key_share=True
        )
        deliveries = list(
            session.exec(
                scoped(ctx, WebhookDelivery)
                .where(col(WebhookDelivery.id).in_(delivery_ids))
                .order_by(col(WebhookDelivery.id))
                .with_for_update()
            )
        )
        if len(deliveries) != len(set(delivery_ids)) or any(
            d.endpoint_id != endpoint.id for d in deliveries
        ):
            raise ValueError("one attempt is one endpoint's")
        endpoint.consecutive_failures = 0 if ok else endpoint.consecutive_failures + 1
        for delivery in deliveries:
            delivery.attempts += 1
            delivery.response_code = response_code
            delivery.claimed_at = None
            if ok:
                delivery.status, delivery.delivered_at, delivery.last_error = (
                    WebhookDeliveryStatus.DELIVERED,
                    now,
                    None,
                )
            else:
                delivery.last_error = (error or f"HTTP {response_code}")[:500]
                if delivery.attempts >= settings.webhook_max_attempts:
                    delivery.status, delivery.next_attempt_at = WebhookDeliveryStatus.FAILED, None
                else:
                    wait = settings.webhook_retry_base_seconds * 2 ** (delivery.attempts - 1)
                    retry_in = wait if retry_in is None else min(retry_in, wait)
                    delivery.status = WebhookDeliveryStatus.PENDING
                    delivery.next_attempt_at = now + timedelta(seconds=wait)
            session.add(delivery)
        if (
            not ok
            and endpoint.active
            and endpoint.consecutive_failures >= settings.webhook_pause_after_failures
        ):
            endpoint.active, endpoint.paused_at = False, now
            endpoint.paused_reason = (
                f"Paused after {endpoint.consecutive_failures} failed attempts in a row; "
                f"last: {deliveries[0].last_error}"
            )[:500]
        session.add(endpoint)
        return retry_in if endpoint.active else None


def due_deliveries(*, limit: int = 200) -> list[tuple[int, int]]:
    """(tenant id, endpoint id) of active endpoints with pending deliveries now due, after
    freeing attempts stuck in "sending" past the lease (a worker died); for the periodic
    sweep (all tenants)."""
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
            select(WebhookDelivery.tenant_id, WebhookDelivery.endpoint_id)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookEndpoint.active),
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
                (col(WebhookDelivery.next_attempt_at).is_(None))
                | (col(WebhookDelivery.next_attempt_at) <= now),
            )
            .distinct()
            .limit(limit)
        )
        return [(int(t), int(e)) for t, e in rows]
