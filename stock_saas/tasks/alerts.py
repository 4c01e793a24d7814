"""Alert tasks: the sweep fanned out over workers, the immediate check of one stock level,
delivery retries.

The beat's ``check_stock`` plans the sweep (batches of tenants of about equal weight) and
replaces itself with a chord: one ``check_tenants`` per batch, run by whichever workers
are free, and ``sweep_done`` adding up what they did. The chord body inherits the sweep's
task id, so ``check_stock.delay().get()`` still answers when the whole sweep is over.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import chord
from sqlalchemy.exc import OperationalError

from stock_saas.services import alerts
from stock_saas.services.alerts import AlertCheck, DeliveryReport
from stock_saas.services.core import TenantBatch
from stock_saas.tasks import notifiers
from stock_saas.tasks.celery_app import app
from stock_saas.tasks.system import system_context

__all__ = ["check_stock", "check_stock_level", "check_tenants", "deliver_notifications"]

log = logging.getLogger(__name__)
RETRY_HORIZON_SECONDS = 300  # retries due later than this wait for the beat sweep
SUMMARY_KEYS = ("opened", "closed", "notifications", "sent", "retrying", "failed")

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


@app.task(name="stock_saas.tasks.alerts.check_stock", bind=True, **_RETRYING)
def check_stock(self: Any, batch_tenants: int | None = None) -> Any:
    """The sweep: every tenant with work, in batches that free workers take in parallel
    (``batch_tenants`` caps a batch's tenants, for tests and benchmarks)."""
    sizes = {} if batch_tenants is None else {"max_tenants": batch_tenants}
    batches = alerts.sweep_batches(**sizes)
    if len(batches) <= 1:  # nothing to fan out: no chord to wait for
        return check_tenants.run(batches[0] if batches else [])
    log.info("alert sweep: %d tenants in %d batches", sum(map(len, batches)), len(batches))
    return self.replace(chord((check_tenants.s(batch) for batch in batches), sweep_done.s()))


@app.task(name="stock_saas.tasks.alerts.check_tenants", **_RETRYING)
def check_tenants(tenant_ids: list[int]) -> dict[str, int]:
    """One batch of the sweep: reconcile its tenants together, then deliver what is due."""
    batch = TenantBatch.of(system_context(tenant_id) for tenant_id in tenant_ids)
    check = _check_batch(batch)
    reports = []
    for tenant_id in alerts.tenants_with_deliveries(batch=batch):
        try:
            reports.append(_deliver(tenant_id))
        except OperationalError:
            raise
        except Exception:  # one tenant's bad data must not starve the others
            log.exception("alert delivery failed for tenant %s", tenant_id)
    return _summary(check, reports)


def _check_batch(batch: TenantBatch) -> AlertCheck:
    try:
        return alerts.check_tenants(batch=batch)
    except OperationalError:
        raise
    except Exception:
        if len(batch.contexts) == 1:
            log.exception("alert sweep failed for tenant %s", batch.tenant_ids[0])
            return AlertCheck()
    # One tenant's bad data must not starve the others: find it, tenant by tenant.
    total = AlertCheck()
    for ctx in batch.contexts:
        total += _check_batch(TenantBatch.of([ctx]))
    return total


@app.task(name="stock_saas.tasks.alerts.sweep_done")
def sweep_done(results: list[dict[str, int]]) -> dict[str, int]:
    """The sweep's total, once every batch has finished."""
    total = {key: sum(result.get(key, 0) for result in results) for key in SUMMARY_KEYS}
    log.info("alert sweep done: %s", total)
    return total


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
