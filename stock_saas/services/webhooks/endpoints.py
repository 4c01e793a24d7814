"""Webhook endpoints of a tenant: registered by admins for chosen event types, with a
signing secret shown once; paused after repeated failures until an admin resumes them.

URLs must be ``https://`` to a public host. Registration refuses what is certainly not
public: an address in any spelling the system accepts (``127.1``, ``0x7f000001``,
``[::ffff:127.0.0.1]``, ``[64:ff9b::7f00:1]`` ...) that is not public, this machine's own
names (``localhost.``, ``ip6-localhost``, its host name), names that only exist inside a
network (one label, ``.local``, ``.internal``, ``.home.arpa``). Names are not resolved
here: what a name points at can change, so the worker resolves and checks it at every
delivery (``security.outbound``). WEBHOOK_ALLOW_LOOPBACK (on by default with SQLite)
lets development and tests use loopback addresses, over plain http too.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket

import httpx
from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.errors import Refused, ValidationFailed
from stock_saas.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from stock_saas.security.outbound import REFUSED, is_public_address, numeric_addresses
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

URL_MAX = 500
FULL_URL = "Give a full URL such as https://hooks.example.com/stock."
# Where webhooks may point is policy (403, like a role): the URL itself is well formed.
NOT_PUBLIC = f"Webhook URLs must point at a public address ({REFUSED})."
HTTPS_ONLY = "Webhook URLs must use https://."
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
INTERNAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa")


def _own_names() -> set[str]:
    try:
        return {socket.gethostname().lower().rstrip(".")}
    except OSError:
        return set()


def _host_kind(host: str, allow_loopback: bool) -> str:
    """ "loopback" or "public" for what registration may accept; Refused else."""
    addresses = numeric_addresses(host)
    if addresses is not None:
        parsed = [ipaddress.ip_address(a) for a in addresses]
        if not all(is_public_address(a, allow_loopback=allow_loopback) for a in parsed):
            raise Refused(NOT_PUBLIC)
        return "loopback" if all(a.is_loopback for a in parsed) else "public"
    name = host.lower().rstrip(".")
    if name in LOOPBACK_NAMES or name in _own_names() or name.endswith(".localhost"):
        if not allow_loopback:
            raise Refused(NOT_PUBLIC)
        return "loopback"
    if "." not in name or name.endswith(INTERNAL_SUFFIXES):
        raise Refused(NOT_PUBLIC)
    return "public"


def _clean_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > URL_MAX:
        raise ValidationFailed(FULL_URL)
    try:
        parsed = httpx.URL(url)  # the parser the sender uses: no parser differential
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise ValidationFailed(FULL_URL) from exc
    if parsed.scheme not in ("https", "http"):
        raise Refused(HTTPS_ONLY)
    if not host or parsed.userinfo:
        raise ValidationFailed(FULL_URL)
    allow_loopback = get_settings().webhook_loopback_allowed
    kind = _host_kind(host, allow_loopback)
    if parsed.scheme != "https" and not (allow_loopback and kind == "loopback"):
        raise Refused(HTTPS_ONLY)
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
