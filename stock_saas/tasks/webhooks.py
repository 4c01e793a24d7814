"""Webhook deliveries: the Celery task that POSTs one signed delivery, the retry sweep, and
the dispatcher that turns the deployment's events into delivery rows.

The dispatcher runs in every web backend process (a Reflex lifespan task): it consumes the
event bus (every process's events, whichever transport), records one delivery per
matching endpoint (idempotent across processes) and enqueues ``deliver_webhook``. Failed
attempts are retried by Celery with a countdown; the beat sweep ``retry_webhooks`` picks
up whatever a lost message or a dead worker left behind.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator
from typing import Any

import httpx

from stock_saas.config import get_settings
from stock_saas.security.outbound import (
    COULD_NOT_CONNECT,
    REFUSED,
    AddressRefused,
    Resolver,
    public_client,
    system_resolver,
)
from stock_saas.services import events, webhooks
from stock_saas.services.events import EVENT_TYPES, Envelope
from stock_saas.tasks.celery_app import app as celery
from stock_saas.tasks.system import system_context

__all__ = [
    "deliver_webhook",
    "install_dispatcher",
    "retry_webhooks",
    "uninstall_dispatcher",
    "webhook_dispatch",
]

log = logging.getLogger(__name__)
USER_AGENT = "Stock-SaaS-Webhooks/1"
_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# How host names are resolved for deliveries (tests put a resolver of their own here).
resolve: Resolver = system_resolver


def _client() -> httpx.Client:
    """A client that reaches checked public addresses only (``security.outbound``)."""
    settings = get_settings()
    return public_client(
        timeout=settings.webhook_timeout_seconds,
        resolver=resolve,
        allow_loopback=settings.webhook_loopback_allowed,
    )


def _post(job: webhooks.DeliveryJob) -> tuple[int | None, str | None]:
    """POST one signed delivery; (HTTP status or None, error for the tenant or None).

    The tenant sees "refused: not a public address", "could not connect" or "HTTP <code>",
    never the low-level error (a scanner's oracle); operators get the kind in the log.
    """
    body = job.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-StockSaas-Event": job.event_type,
        "X-StockSaas-Event-Id": job.event_id,
        "X-StockSaas-Delivery": str(job.delivery_id),
        webhooks.SIGNATURE_HEADER: webhooks.signature_header(job.secret, body),
    }
    try:
        # Streamed and never read: the status is all we need, and a receiver's huge body
        # must not fill the worker's memory.
        with (
            _client() as client,
            client.stream("POST", job.url, content=body, headers=headers) as response,
        ):
            code = response.status_code
    except AddressRefused as refused:
        log.warning(
            "webhook delivery %s refused: %s is not a public address",
            job.delivery_id,
            refused.address or refused.host,
        )
        return None, REFUSED
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        log.info("webhook delivery %s could not connect: %s", job.delivery_id, type(exc).__name__)
        return None, COULD_NOT_CONNECT
    return code, None if 200 <= code < 300 else f"HTTP {code}"


@celery.task(name="stock_saas.tasks.webhooks.deliver_webhook", acks_late=True)
def deliver_webhook(tenant_id: int, delivery_id: int) -> str:
    """One attempt at one delivery; schedules the retry when it failed."""
    ctx = system_context(tenant_id)
    job = webhooks.claim_delivery(ctx=ctx, delivery_id=delivery_id)
    if job is None:
        return "skipped"  # delivered, paused, not due yet, or another worker has it
    code, error = _post(job)
    retry_in = webhooks.record_result(
        ctx=ctx, delivery_id=delivery_id, response_code=code, error=error
    )
    if retry_in is not None:
        deliver_webhook.apply_async(args=(tenant_id, delivery_id), countdown=retry_in)
    return "delivered" if error is None else "failed"


@celery.task(name="stock_saas.tasks.webhooks.retry_webhooks")
def retry_webhooks() -> int:
    """Enqueue every due delivery (all tenants); the number enqueued."""
    due = webhooks.due_deliveries()
    for tenant_id, delivery_id in due:
        deliver_webhook.apply_async(args=(tenant_id, delivery_id))
    return len(due)


# ---- the dispatcher ------------------------------------------------------------------


class _Dispatcher:
    def __init__(self) -> None:
        self.inbox: queue.SimpleQueue[Envelope | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)
        self.thread.start()

    def offer(self, envelope: Envelope) -> None:  # called by the bus; must not block
        if envelope.event.type in EVENT_TYPES:
            self.inbox.put(envelope)

    def _run(self) -> None:
        while (envelope := self.inbox.get()) is not None:
            tenant_id = envelope.event.tenant_id
            try:
                ids = webhooks.record_deliveries(ctx=system_context(tenant_id), envelope=envelope)
                for delivery_id in ids:
                    deliver_webhook.apply_async(
                        args=(tenant_id, delivery_id), retry=True, retry_policy=_RETRY_POLICY
                    )
            except Exception:  # the sweep retries recorded rows; live events are best effort
                log.exception("webhook dispatch failed for event %s", envelope.id)


_dispatcher: _Dispatcher | None = None
_lock = threading.Lock()


def install_dispatcher() -> None:
    """Record and enqueue webhook deliveries for the deployment's events (idempotent)."""
    global _dispatcher
    with _lock:
        if _dispatcher is None:
            _dispatcher = _Dispatcher()
            events.subscribe(_dispatcher.offer)
    events.start_bus()


def uninstall_dispatcher() -> None:
    global _dispatcher
    with _lock:
        dispatcher, _dispatcher = _dispatcher, None
    if dispatcher is not None:
        events.unsubscribe(dispatcher.offer)
        dispatcher.inbox.put(None)
        dispatcher.thread.join(10)


@contextlib.asynccontextmanager
async def webhook_dispatch(app: Any) -> AsyncIterator[None]:
    """Reflex lifespan task: run the dispatcher while the backend runs (``app`` unused;
    Reflex passes it by that name)."""
    install_dispatcher()
    try:
        yield
    finally:
        uninstall_dispatcher()
