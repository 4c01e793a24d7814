"""Live stock and alerts: committed events fanned out to the tenant's open dashboards.

Services publish events after commit (``services.events``). :func:`live_bridge`, a Reflex
lifespan task, subscribes once per backend process and queues every event onto the event
loop; :func:`deliver_events` then updates each open dashboard of the event's tenant (its
table, sidebar counts, header strip and open history dialog) and shows managers and
admins a toast when a stock level goes low. Any other transport (Redis pub/sub, a tail
of the audit table) feeds the same :func:`deliver_events`. Each process delivers to the
browsers whose dashboards it registered, so a cross-process transport should reach every
backend worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from reflex.state import StateUpdate
from reflex_base.event import Event as ClientEvent

from stock_saas.errors import StockSaasError
from stock_saas.services import events
from stock_saas.services.core import Role
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.history import HistoryState
from stock_saas.state.live_clients import MayHaveMissed, clients_of, tenants, unregister_client
from stock_saas.state.overview import OverviewState

__all__ = ["deliver_events", "live_bridge"]

log = logging.getLogger(__name__)

_app: Any = None
# A tab's session is verified again before delivering to it if the last check is older
# than this, so a deactivated user or a signed-out tab stops receiving within a minute.
REVERIFY_SECONDS = 60.0
BATCH_MAX = 500  # events waiting together are delivered as one batch (one re-read per tab)


def _low_stock_toast(event: events.LowStockEntered) -> Any:
    return rx.toast.warning(
        f"Low stock: {event.item_name} in {event.department_name} — "
        f"{event.quantity} left (threshold {event.threshold}).",
        duration=8000,
        close_button=True,
    )


async def _is_connected(app: Any, client_token: str) -> bool:
    namespace = app.event_namespace
    manager = getattr(namespace, "_token_manager", None) if namespace else None
    if manager is None:
        return False
    return bool(await manager.is_token_connected(client_token))


async def _deliver_to(app: Any, client_token: str, happened: list[events.Event]) -> None:
    if not await _is_connected(app, client_token):
        unregister_client(client_token)
        return
    alerts = []
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=DashboardState)) as root:
        dashboard = await root.get_state(DashboardState)
        try:
            await dashboard.refresh_if_older(REVERIFY_SECONDS)
            await dashboard.follow(*happened)
        except StockSaasError:  # signed out, or the session ended: stop feeding this tab
            unregister_client(client_token)
            return
        history = await root.get_state(HistoryState)
        await history.follow(*happened)
        overview = await root.get_state(OverviewState)
        await overview.follow(*happened)
        if dashboard.role in (Role.MANAGER.value, Role.ADMIN.value):
            alerts = [
                _low_stock_toast(e) for e in happened if isinstance(e, events.LowStockEntered)
            ]
    if alerts:
        await app.event_namespace.emit_update(
            StateUpdate(events=ClientEvent.from_event_type(alerts)), token=client_token
        )


async def deliver_events(happened: list[events.Event]) -> None:
    """Bring every open dashboard in this process up to date with ``happened`` (one
    re-read per tab for the whole batch, however many events it holds)."""
    app = _app
    if app is None or app.event_namespace is None:
        return
    by_tenant: dict[int, list[events.Event]] = {}
    for event in happened:
        by_tenant.setdefault(event.tenant_id, []).append(event)
    deliveries = [
        (token, tenant_events)
        for tenant_id, tenant_events in by_tenant.items()
        for token in clients_of(tenant_id)
    ]
    results = await asyncio.gather(
        *(_deliver_to(app, token, batch) for token, batch in deliveries), return_exceptions=True
    )
    for (token, _), result in zip(deliveries, results, strict=True):
        if isinstance(result, BaseException):
            log.warning("live update to %s failed: %r", token, result)


@contextlib.asynccontextmanager
async def live_bridge(app: Any) -> AsyncIterator[None]:
    """Lifespan task: deliver every process's events (services.event_bus) in arrival order."""
    global _app
    _app = app
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[events.Event] = asyncio.Queue()

    def enqueue(envelope: events.Envelope) -> None:  # runs in the committing or listener thread
        loop.call_soon_threadsafe(queue.put_nowait, envelope.event)

    def resync() -> None:  # the listener thread, after its transport came back
        for tenant_id in tenants():
            loop.call_soon_threadsafe(queue.put_nowait, MayHaveMissed(tenant_id=tenant_id))

    async def pump() -> None:
        while True:
            batch = [await queue.get()]
            while not queue.empty() and len(batch) < BATCH_MAX:
                batch.append(queue.get_nowait())
            try:
                await deliver_events(batch)
            except Exception:
                log.exception("delivering %d events failed", len(batch))

    # Every process's events, whichever transport runs (services.event_bus), including the
    # internal ones (a department created or renamed in any process: sidebars re-read).
    events.subscribe(enqueue, internal=True)
    events.on_reconnect(resync)
    events.start_bus()
    worker = asyncio.create_task(pump(), name="stock-saas-live-events")
    try:
        yield
    finally:
        events.unsubscribe(enqueue)
        events.off_reconnect(resync)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        _app = None
