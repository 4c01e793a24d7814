"""The weekly reorder digest: every 15 minutes, queue the digests that are due (Monday
07:00 in each tenant's time zone) and hand them to the alerts' delivery."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from stock_saas.services import reports
from stock_saas.tasks.alerts import deliver_notifications
from stock_saas.tasks.celery_app import app
from stock_saas.tasks.system import system_context

__all__ = ["send_weekly_digests"]

log = logging.getLogger(__name__)


@app.task(
    name="stock_saas.tasks.reports.send_weekly_digests",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def send_weekly_digests(at: str | None = None) -> dict[str, int]:
    """Queue this week's digest for every tenant where it is due, then deliver it.

    ``at`` (ISO 8601 with offset) stands in for now: to catch up by hand, and in tests.
    Idempotent: a user never gets a second digest for the same week.
    """
    now = datetime.fromisoformat(at).astimezone(UTC) if at else datetime.now(UTC)
    tenants = queued = 0
    for tenant_id in reports.tenants_due_for_digest(now=now):
        try:
            count = reports.queue_weekly_digest(ctx=system_context(tenant_id), now=now)
        except OperationalError:
            raise
        except Exception:  # one tenant's bad data must not starve the others
            log.exception("weekly digest failed for tenant %s", tenant_id)
            continue
        if count:
            tenants, queued = tenants + 1, queued + count
            deliver_notifications.delay(tenant_id)
    return {"tenants": tenants, "queued": queued}
