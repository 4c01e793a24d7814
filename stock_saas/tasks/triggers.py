"""Domain events → Celery, for the front doors (web app, API, CLI) to install at start.

``install()`` subscribes to events published after commit: a stock level crossing its
threshold (either way) enqueues ``check_stock_level`` at once (an import, however large,
enqueues one ``check_tenants`` sweep of its tenant), so alerts do not wait for
the hourly sweep and episodes close promptly; an export request enqueues ``run_export``.
Enqueueing never fails the caller's request: if the broker is down the error is logged
and the periodic sweeps catch up. The Celery app is imported on first use, so installing
costs a front door nothing until an event actually needs the queue.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from stock_saas.services import events
from stock_saas.services.exports import ExportRequested

if TYPE_CHECKING:
    from celery import Celery

__all__ = ["install", "uninstall"]

log = logging.getLogger(__name__)
# Reconnect once to a broker that restarted, then give up quickly.
_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


_app: Celery | None = None  # None: the worker's own app (stock_saas.tasks.celery_app)


def _default_app() -> Celery:
    from stock_saas.tasks.celery_app import app

    return app


def _enqueue(name: str, *args: Any) -> None:
    try:
        target = _app or _default_app()
        target.send_task(name, args=args, retry=True, retry_policy=_RETRY_POLICY)
    except Exception:  # the change is committed; the sweep will notice it later
        log.warning(
            "could not enqueue %s%r; the periodic sweep will catch up", name, args, exc_info=True
        )


def on_event(event: events.Event) -> None:
    """Enqueue the background work an event calls for."""
    if isinstance(event, events.LowStockEntered | events.LowStockRecovered):
        _enqueue("stock_saas.tasks.alerts.check_stock_level", event.tenant_id, event.stock_level_id)
    elif isinstance(event, events.StockImported):
        # One sweep of the tenant opens (and closes) the episodes a whole import caused.
        _enqueue("stock_saas.tasks.alerts.check_tenants", [event.tenant_id])
    elif isinstance(event, ExportRequested):
        _enqueue("stock_saas.tasks.exports.run_export", event.tenant_id, event.task_id)


def install(app: Celery | None = None) -> None:
    """Connect the events to the queue of ``app`` (default: the configured Celery app).
    Idempotent; call once per process at start."""
    global _app
    _app = app
    events.subscribe_here(on_event)


def uninstall() -> None:
    global _app
    _app = None
    events.unsubscribe_here(on_event)
