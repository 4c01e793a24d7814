"""Webhook deliveries: the Celery task that sends one endpoint's pending deliveries in
order, the retry sweep, and the dispatcher that turns the deployment's events into rows.

The dispatcher runs in every web backend process (a Reflex lifespan task): it consumes the
event bus (every process's events, whichever transport), records one delivery per
matching endpoint (idempotent across processes) and enqueues ``deliver_webhooks`` for each
of those endpoints. Endpoints are sent to concurrently (one task each, on as many worker
processes as there are); within one, a single sender POSTs its oldest rows, several as one
array when it lags, over a per-process keep-alive pool. Failed attempts are retried by
Celery with a countdown; the beat sweep ``retry_webhooks`` picks up whatever a lost
message or a dead worker left behind.
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
    "deliver_webhooks",
    "install_dispatcher",
    "retry_webhooks",
    "uninstall_dispatcher",
    "webhook_dispatch",
]

log = logging.getLogger(__name__)
USER_AGENT = "Stock-SaaS-Webhooks/1"
DISPATCH_BATCH = 500
_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# How host names are resolved for deliveries (tests put a resolver of their own here).
resolve: Resolver = system_resolver


_clients: dict[tuple[float, Resolver, bool], httpx.Client] = {}
_clients_lock = threading.Lock()


def _client() -> httpx.Client:
    """This process's pooled client (keep-alive connections reused across deliveries and
    endpoints); every new connection reaches checked public addresses only
    (``security.outbound``)."""
    settings = get_settings()
    key = (settings.webhook_timeout_seconds, resolve, settings.webhook_loopback_allowed)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = public_client(
                timeout=key[0], resolver=resolve, allow_loopback=key[2]
            )
        return client


def _post(batch: webhooks.DeliveryBatch) -> tuple[int | None, str | None]:
    """POST one signed attempt (one event's object, or an array of them); (HTTP status or
    None, error for the tenant or None).

    The tenant sees "refused: not a public address", "could not connect" or "HTTP <code>",
    never the low-level error (a scanner's oracle); operators get the kind in the log.
    """
    body = batch.body.encode()
    first = batch.jobs[0]
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-StockSaas-Event": first.event_type if len(batch.jobs) == 1 else "batch",
        "X-StockSaas-Event-Id": ",".join(job.event_id for job in batch.jobs),
        "X-StockSaas-Delivery": ",".join(str(i) for i in batch.delivery_ids),
        webhooks.SIGNATURE_HEADER: webhooks.signature_header(batch.secret, body),
    }
    try:
        # Streamed and drained within a bound: the status is what we need, the connection
        # goes back to the pool, and a receiver's huge body cannot fill the worker's memory.
        with _client().stream("POST", batch.url, content=body, headers=headers) as response:
            code = response.status_code
            _drain(response)
    except AddressRefused as refused:
        log.warning(
            "webhook deliveries %s refused: %s is not a public address",
            batch.delivery_ids,
            refused.address or refused.host,
        )
        return None, REFUSED
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        kind = type(exc).__name__
        log.info("webhook deliveries %s could not connect: %s", batch.delivery_ids, kind)
        return None, COULD_NOT_CONNECT
    return code, None if 200 <= code < 300 else f"HTTP {code}"


def _drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a small answer so its connection can be reused; close a big one instead."""
    read = 0
    for chunk in response.iter_raw():
        read += len(chunk)
        if read > limit:
            response.close()
            return


@celery.task(name="stock_saas.tasks.webhooks.deliver_webhooks", acks_late=True, ignore_result=True)
def deliver_webhooks(tenant_id: int, endpoint_id: int) -> int:
    """Send the endpoint's due deliveries in order until none is left (or one fails and
    schedules its retry); the number of attempts made. Does nothing when another sender
    has the endpoint: that one sends what this task was queued for."""
    ctx = system_context(tenant_id)
    if webhooks.has_sender(ctx=ctx, endpoint_id=endpoint_id):
        return 0
    attempts = 0
    while (batch := webhooks.claim_batch(ctx=ctx, endpoint_id=endpoint_id)) is not None:
        attempts += 1
        code, error = _post(batch)
        retry_in = webhooks.record_result(
            ctx=ctx, delivery_ids=batch.delivery_ids, response_code=code, error=error
        )
        if error is not None:
            if retry_in is not None:
                deliver_webhooks.apply_async(args=(tenant_id, endpoint_id), countdown=retry_in)
            break
    return attempts


@celery.task(name="stock_saas.tasks.webhooks.retry_webhooks")
def retry_webhooks() -> int:
    """Enqueue a sender for every endpoint with due deliveries (all tenants); how many."""
    due = webhooks.due_deliveries()
    for tenant_id, endpoint_id in due:
        deliver_webhooks.apply_async(args=(tenant_id, endpoint_id))
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
        while (first := self.inbox.get()) is not None:
            # Whatever queued up meanwhile goes with it: one transaction per tenant and one
            # sender task per endpoint, however many events arrived (keeps up with bursts).
            arrived, stop = [first], False
            while len(arrived) < DISPATCH_BATCH:
                try:
                    more = self.inbox.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                arrived.append(more)
            self._dispatch(arrived)
            if stop:
                return

    def _dispatch(self, arrived: list[Envelope]) -> None:
        for tenant_id in dict.fromkeys(e.event.tenant_id for e in arrived):
            try:
                ctx = system_context(tenant_id)
                for endpoint_id in webhooks.record_deliveries(ctx=ctx, envelopes=arrived):
                    deliver_webhooks.apply_async(
                        args=(tenant_id, endpoint_id), retry=True, retry_policy=_RETRY_POLICY
                    )
            except Exception:  # the sweep retries recorded rows; live events are best effort
                log.exception("webhook dispatch failed for tenant %s", tenant_id)


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
