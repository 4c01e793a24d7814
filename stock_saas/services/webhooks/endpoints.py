"""Webhook endpoints of a tenant: registered by admins for chosen event types, with a
signing secret shown once; paused after repeated failures until an admin resumes them.

URLs must be ``https://`` to a public host; plain http only to localhost when
WEBHOOK_ALLOW_HTTP_LOCALHOST is on (development and tests).
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from stock_saas.services.core import (
    Context,
    Role,
    get_scoped,
    require_role,
    scoped,
    scoped_update,
    utcnow,
)
from stock_saas.services.events import EVENT_TYPES
from stock_saas.services.webhooks.views import EndpointView, NewEndpoint

__all__ = [
    "create_endpoint",
    "delete_endpoint",
    "list_endpoints",
    "update_endpoint",
]

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


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
        return NewEndpoint(endpoint=EndpointView.of(endpoint), secret=endpoint.secret)


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
                    col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
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
