"""Export tasks: write one requested export, resume interrupted ones, expire old files."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from stock_saas.services import exports
from stock_saas.tasks.celery_app import app
from stock_saas.tasks.system import system_context

__all__ = ["purge_exports", "resume_exports", "run_export"]

LEASE_MARGIN_SECONDS = 0.5  # look just after a lease ran out, not as it does


@app.task(
    name="stock_saas.tasks.exports.run_export",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_export(tenant_id: int, task_id: str) -> dict[str, object]:
    status = exports.run_export(ctx=system_context(tenant_id), task_id=task_id)
    return {"task_id": task_id, "status": status.status, "rows": status.rows_written}


@app.task(name="stock_saas.tasks.exports.resume_exports")
def resume_exports(watch: bool = False) -> int:
    """Queue again the exports nobody started and those whose worker died.

    ``watch`` (a worker starting): if a running export's lease still looks valid, perhaps
    held by the worker this one replaces, look once more when it runs out, so the export
    is taken over a lease after the crash rather than at a later beat."""
    orphans = exports.exports_to_resume()
    for tenant_id, task_id in orphans:
        run_export.delay(tenant_id, task_id)
    expiry = exports.next_lease_expiry() if watch else None
    if expiry is not None:
        resume_exports.apply_async(countdown=expiry + LEASE_MARGIN_SECONDS)
    return len(orphans)


@app.task(name="stock_saas.tasks.exports.purge_exports")
def purge_exports() -> int:
    return exports.purge_expired()
