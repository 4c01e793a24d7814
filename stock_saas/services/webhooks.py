"""Outbound webhooks: endpoints per tenant, signed deliveries, retries, pausing.

Admins register endpoints (HTTPS; plain http only to localhost when
WEBHOOK_ALLOW_HTTP_LOCALHOST is on, for development) for chosen event types; the signing
secret is returned once. Each event of the tenant becomes one delivery row per matching
active endpoint (unique per endpoint and event id, so every process that sees the event
may record it and only one row exists). A Celery task claims a delivery, POSTs it and
records the outcome here: a non-2xx answer or a network error is retried after
``WEBHOOK_RETRY_BASE_SECONDS * 2**(attempt-1)`` up to WEBHOOK_MAX_ATTEMPTS; after
WEBHOOK_PAUSE_AFTER_FAILURES failed attempts in a row the endpoint is paused (shown on the
admin's Webhooks page with the reason) until an admin resumes it. Signing: README
"Events, SSE and webhooks" and :func:`signature_header` / :func:`verify_signature`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import col, select

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import WebhookDelivery, WebhookEndpoint
from stock_saas.models._columns import utcnow
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.event_log import Envelope
from stock_saas.services.events import EVENT_TYPES
from stock_saas.services.scoping import (
    get_scoped,
    insert_ignoring_duplicates,
    scoped,
    scoped_update,
)
from stock_saas.services.webhook_views import DeliveryJob, DeliveryView, EndpointView, NewEndpoint

__all__ = [
    "DeliveryJob",
    "DeliveryView",
    "EndpointView",
    "NewEndpoint",
    "claim_delivery",
    "create_endpoint",
    "delete_endpoint",
    "due_deliveries",
    "list_deliveries",
    "list_endpoints",
    "record_deliveries",
    "record_result",
    "signature_header",
    "update_endpoint",
    "verify_signature",
]

SIGNATURE_HEADER = "X-StockSaas-Signature"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


# ---- signing ------------------------------------------------------------------------


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},v1={_digest(secret, stamp, body)}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """True if ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        stamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _digest(secret, stamp, body))


# ---- endpoints ----------------------------------------------------------------------


def _clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password or len(url) > 500:
        raise ValidationFailed("Give a full URL such as https://example.com/hooks/stock.")
    local = host in LOCAL_HOSTS
    try:
        address = ipaddress.ip_address(host)
        local = local or address.is_loopback or address.is_private or address.is_link_local
    except ValueError:
        pass
    if local and not get_settings().webhook_allow_http_localhost:
        raise ValidationFailed("Webhook URLs must point at a public host.")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationFailed("Webhook URLs must use https://.")
    return url


def _clean_types(event_types: list[str]) -> str:
    chosen = sorted({t.strip() for t in event_types if t.strip()})
    unknown = [t for t in chosen if t not in EVENT_TYPES]
    if unknown or not chosen:
        raise ValidationFailed(f"Choose event types among {', '.join(EVENT_TYPES)}.")
    return ",".join(chosen)


def create_endpoint(
    *, ctx: Context, url: str, event_types: list[str], description: str = ""
) -> NewEndpoint:
    """Register ``url`` for ``event_types``; the returned secret is never shown again."""
    require_role(ctx, Role.ADMIN)
    endpoint = WebhookEndpoint(
        tenant_id=ctx.tenant_id,
        url=_clean_url(url),
        description=description.strip()[:200],
        event_types=_clean_types(event_types),
        secret="whsec_" + secrets.token_urlsafe(32),
        created_by=ctx.actor_name[:120],
    )
    with write_session() as session:
        session.add(endpoint)
        session.flush()
        return NewEndpoint(EndpointView.of(endpoint), endpoint.secret)


def list_endpoints(*, ctx: Context) -> list[EndpointView]:
    require_role(ctx, Role.ADMIN)
    with read_session() as session:
        rows = session.exec(scoped(ctx, WebhookEndpoint).order_by(col(WebhookEndpoint.id)))
        return [EndpointView.of(r) for r in rows]


def update_endpoint(
    *,
    ctx: Context,
    endpoint_id: int,
    active: bool | None = None,
    event_types: list[str] | None = None,
    url: str | None = None,
    description: str | None = None,
) -> EndpointView:
    """Change an endpoint; ``active=True`` resumes a paused one (its due deliveries go now)."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        endpoint = get_scoped(session, ctx, WebhookEndpoint, endpoint_id, lock=True)
        if url is not None:
            endpoint.url = _clean_url(url)
        if event_types is not None:
            endpoint.event_types = _clean_types(event_types)
        if description is not None:
            endpoint.description = description.strip()[:200]
        if active is True and not endpoint.active:
            endpoint.active, endpoint.paused_at, endpoint.paused_reason = True, None, None
            endpoint.consecutive_failures = 0
            session.execute(
                scoped_update(ctx, WebhookDelivery)
                .where(
                    col(WebhookDelivery.endpoint_id) == endpoint_id,
                    col(WebhookDelivery.status) == "pending",
                )
                .values(next_attempt_at=utcnow())
            )
        elif active is False and endpoint.active:
            endpoint.active, endpoint.paused_at = False, utcnow()
            endpoint.paused_reason = f"Paused by {ctx.actor_name}."
        session.add(endpoint)
        session.flush()
        return EndpointView.of(endpoint)


def delete_endpoint(*, ctx: Context, endpoint_id: int) -> None:
    """Remove an endpoint and its delivery log."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        session.delete(get_scoped(session, ctx, WebhookEndpoint, endpoint_id))


def list_deliveries(
    *, ctx: Context, endpoint_id: int | None = None, limit: int = 50
) -> list[DeliveryView]:
    """The newest deliveries (of one endpoint, or all), newest first."""
    require_role(ctx, Role.ADMIN)
    if not 1 <= limit <= 500:
        raise ValidationFailed("limit must be between 1 and 500.")
    with read_session() as session:
        query = scoped(ctx, WebhookDelivery)
        if endpoint_id is not None:
            get_scoped(session, ctx, WebhookEndpoint, endpoint_id)
            query = query.where(col(WebhookDelivery.endpoint_id) == endpoint_id)
        rows = session.exec(query.order_by(col(WebhookDelivery.id).desc()).limit(limit))
        return [DeliveryView.of(r) for r in rows]


# ---- deliveries (system: the dispatcher and the Celery task) -------------------------


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
                status="pending",
                attempts=0,
                created_at=utcnow(),
            )
        rows = session.exec(
            scoped(ctx, WebhookDelivery).where(
                col(WebhookDelivery.endpoint_id).in_(endpoints),
                col(WebhookDelivery.event_id) == envelope.id,
                col(WebhookDelivery.status) == "pending",
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
        if row is None or row.status != "pending":
            return None
        endpoint = get_scoped(session, ctx, WebhookEndpoint, row.endpoint_id)
        if not endpoint.active:
            return None
        if row.next_attempt_at is not None and _aware(row.next_attempt_at) > now:
            return None
        claimed = session.execute(
            scoped_update(ctx, WebhookDelivery)
            .where(col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.status) == "pending")
            .values(status="sending", claimed_at=now)
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


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


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
            delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
            endpoint.consecutive_failures = 0
        else:
            delivery.last_error = (error or f"HTTP {response_code}")[:500]
            endpoint.consecutive_failures += 1
            if delivery.attempts >= settings.webhook_max_attempts:
                delivery.status, delivery.next_attempt_at = "failed", None
            else:
                retry_in = settings.webhook_retry_base_seconds * 2 ** (delivery.attempts - 1)
                delivery.status = "pending"
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
                col(WebhookDelivery.status) == "sending",
                col(WebhookDelivery.claimed_at) < now - lease,
            )
            .values(status="pending", next_attempt_at=now)
        )
        rows = session.exec(
            select(WebhookDelivery.tenant_id, WebhookDelivery.id)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookEndpoint.active),
                col(WebhookDelivery.status) == "pending",
                (col(WebhookDelivery.next_attempt_at).is_(None))
                | (col(WebhookDelivery.next_attempt_at) <= now),
            )
            .order_by(col(WebhookDelivery.id))
            .limit(limit)
        )
        return [(int(t), int(i)) for t, i in rows if i is not None]
