"""Alert tasks: the sweep, the immediate check of one stock level, delivery retries."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from stock_saas.services import alerts
from stock_saas.services.alerts import AlertCheck, DeliveryReport
from stock_saas.tasks import notifiers
from stock_saas.tasks.celery_app import app
from stock_saas.tasks.system import system_context

__all__ = ["check_stock", "check_stock_level", "deliver_notifications"]

log = logging.getLogger(__name__)
RETRY_HORIZON_SECONDS = 300  # retries due later than this wait for the beat sweep

_RETRYING = {
    "autoretry_for": (OperationalError,),  # the database blinked: try the task again
    "retry_backoff": True,
    "max_retries": 5,
}


def _deliver(tenant_id: int) -> DeliveryReport:
    report = alerts.deliver_due(ctx=system_context(tenant_id), send=notifiers.send)
    if report.next_due_in is not None and report.next_due_in <= RETRY_HORIZON_SECONDS:
        deliver_notifications.apply_async(args=(tenant_id,), countdown=max(report.next_due_in, 1))
    return report


def _summary(check: AlertCheck, reports: list[DeliveryReport]) -> dict[str, int]:
    return {
        "opened": check.opened,
        "closed": check.closed,
        "notifications": check.notifications,
        "sent": sum(r.sent for r in reports),
        "retrying": sum(r.retrying for r in reports),
        "failed": sum(r.failed for r in reports),
    }


@app.task(name="stock_saas.tasks.alerts.check_stock", **_RETRYING)
def check_stock() -> dict[str, int]:
    """The sweep: reconcile every tenant's episodes, then deliver what is due."""
    total, reports = AlertCheck(), []
    for tenant_id in alerts.tenants_to_check():
        try:
            total += alerts.check_tenant(ctx=system_context(tenant_id))
            reports.append(_deliver(tenant_id))
        except OperationalError:
            raise
        except Exception:  # one tenant's bad data must not starve the others
            log.exception("alert sweep failed for tenant %s", tenant_id)
    return _summary(total, reports)


@app.task(name="stock_saas.tasks.alerts.check_stock_level", **_RETRYING)
def check_stock_level(tenant_id: int, stock_level_id: int) -> dict[str, int]:
    """Right after a change crossed the threshold: that stock level, then its deliveries."""
    check = alerts.check_stock_level(ctx=system_context(tenant_id), stock_level_id=stock_level_id)
    return _summary(check, [_deliver(tenant_id)])


@app.task(name="stock_saas.tasks.alerts.deliver_notifications", **_RETRYING)
def deliver_notifications(tenant_id: int | None = None) -> dict[str, int]:
    """Send what is due (retries) for one tenant, or for every tenant with work."""
    if tenant_id is not None:
        tenant_ids = [tenant_id]
    else:
        tenant_ids = alerts.tenants_to_check(deliveries_only=True)
    return _summary(AlertCheck(), [_deliver(t) for t in tenant_ids])
