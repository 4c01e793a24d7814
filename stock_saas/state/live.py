"""Live stock and alerts: committed events fanned out to the tenant's open dashboards.

Services publish events after commit (``services.events``). :func:`live_bridge`, a Reflex
lifespan task, subscribes once per backend process and queues every event onto the event
loop; :func:`deliver_event` then updates each open dashboard of the event's tenant (its
table, sidebar counts, header strip and open history dialog) and shows managers and
admins a toast when a stock level goes low. Any other transport (Redis pub/sub, a tail
of the audit table) feeds the same :func:`deliver_event`. Each process delivers to the
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
from stock_saas.state.live_clients import clients_of, unregister_client
from stock_saas.state.overview import OverviewState

__all__ = ["deliver_event", "live_bridge"]

log = logging.getLogger(__name__)

_app: Any = None
# A tab's session is verified again before delivering to it if the last check is older
# than this, so a deactivated user or a signed-out tab stops receiving within a minute.
REVERIFY_SECONDS = 60.0


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


async def _deliver_to(app: Any, client_token: str, event: events.Event) -> None:
    if not await _is_connected(app, client_token):
        unregister_client(client_token)
        return
    alert = None
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=DashboardState)) as root:
        dashboard = await root.get_state(DashboardState)
        try:
            await dashboard.refresh_if_older(REVERIFY_SECONDS)
            await dashboard.follow(event)
        except StockSaasError:  # signed out, or the session ended: stop feeding this tab
            unregister_client(client_token)
            return
        history = await root.get_state(HistoryState)
        await history.follow(event)
        overview = await root.get_state(OverviewState)
        await overview.follow(event)
        if isinstance(event, events.LowStockEntered) and dashboard.role in (
            Role.MANAGER.value,
            Role.ADMIN.value,
        ):
            alert = _low_stock_toast(event)
    if alert is not None:
        await app.event_namespace.emit_update(
            StateUpdate(events=ClientEvent.from_event_type(alert)), token=client_token
        )


async def deliver_event(event: events.Event) -> None:
    """Bring every open dashboard of ``event.tenant_id`` in this process up to date."""
    app = _app
    if app is None or app.event_namespace is None:
        return
    targets = clients_of(event.tenant_id)
    results = await asyncio.gather(
        *(_deliver_to(app, token, event) for token in targets), return_exceptions=True
    )
    for token, result in zip(targets, results, strict=True):
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

    async def pump() -> None:
        while True:
            event = await queue.get()
            try:
                await deliver_event(event)
            except Exception:
                log.exception("delivering %s failed", event.type)

    # Every process's events, whichever transport runs (services.event_bus).
    events.subscribe(enqueue)
    events.start_bus()
    worker = asyncio.create_task(pump(), name="stock-saas-live-events")
    try:
        yield
    finally:
        events.unsubscribe(enqueue)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        _app = None
