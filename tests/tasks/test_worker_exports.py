"""Exports written by real Celery workers, and resumed by a restarted one."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from celery import Celery
from sqlalchemy import create_engine, text, update
from sqlmodel import col, select

from stock_saas.db import read_session, write_session
from stock_saas.models import Export
from stock_saas.services import audit, exports
from tests.support.waiting import wait_until
from tests.tasks.conftest import AuditTrail, Worker, Workers, on_both_brokers, on_redis

RESULT_TIMEOUT = 120
STARTUP_TASKS = ("stock_saas.tasks.alerts.check_stock", "stock_saas.tasks.exports.resume_exports")


def _ids_in_file(trail: AuditTrail, task_id: str) -> list[str]:
    path = exports.export_file(ctx=trail.admin, task_id=task_id).path
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def _ids_in_log(trail: AuditTrail) -> list[str]:
    return [str(e.id) for batch in audit.iter_entries(ctx=trail.admin) for e in batch]


@on_both_brokers
def test_worker_writes_the_tenants_audit_log(
    audit_trail: AuditTrail, workers: Workers, celery_client: Celery
):
    workers.start()
    task_id = exports.request_export(ctx=audit_trail.admin).task_id
    result = celery_client.send_task(
        "stock_saas.tasks.exports.run_export", args=(audit_trail.admin.tenant_id, task_id)
    ).get(timeout=RESULT_TIMEOUT)
    assert result["status"] == "done"
    assert _ids_in_file(audit_trail, task_id) == _ids_in_log(audit_trail)


@on_both_brokers
def test_export_a_dead_worker_left_running_is_finished_by_the_next_worker(
    audit_trail: AuditTrail, workers: Workers
):
    task_id = exports.request_export(ctx=audit_trail.admin).task_id
    with write_session() as session:  # what a SIGKILLed worker leaves behind
        session.execute(
            update(Export)
            .where(col(Export.task_id) == task_id)
            .values(status="running", heartbeat_at=datetime.now(UTC) - timedelta(hours=1))
        )
    workers.start()  # resumes orphaned exports as it starts
    wait_until(
        lambda: exports.export_status(ctx=audit_trail.admin, task_id=task_id).ready,
        what="the resumed export to finish",
    )
    assert _ids_in_file(audit_trail, task_id) == _ids_in_log(audit_trail)


def _idle(worker: Worker) -> bool:
    """Whether the worker's start-up sweep and export resume have run."""
    lines = worker.log.read_text(errors="replace").splitlines()
    return all(
        any(f"{name}[" in line and "succeeded" in line for line in lines) for name in STARTUP_TASKS
    )


@contextmanager
def _audit_log_locked(database: str) -> Iterator[None]:
    """Hold an exclusive lock on audit_log: an export blocks reading it, alive."""
    engine = create_engine(database)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()
    engine.dispose()


def _heartbeat(trail: AuditTrail, task_id: str, since: datetime | None) -> datetime:
    """The export's heartbeat, once it is set and differs from ``since``."""
    seen: list[datetime] = []

    def renewed() -> bool:
        with read_session() as session:
            beat = session.exec(select(Export.heartbeat_at).where(Export.task_id == task_id)).one()
        seen[:] = [beat] if beat is not None else []
        return beat is not None and beat != since

    wait_until(renewed, what="the export's lease to be written")
    return seen[0]


@on_redis
def test_export_whose_worker_is_killed_is_taken_over_by_a_new_worker_with_each_row_once(
    audit_trail: AuditTrail, workers: Workers, celery_client: Celery, database: str
):
    workers.env["EXPORT_LEASE_SECONDS"] = "3"
    first = workers.start("first")
    wait_until(lambda: _idle(first), what="the worker's start-up tasks to finish")
    task_id = exports.request_export(ctx=audit_trail.admin).task_id
    with _audit_log_locked(database):  # the worker claims the export, then waits here
        celery_client.send_task(
            "stock_saas.tasks.exports.run_export", args=(audit_trail.admin.tenant_id, task_id)
        )
        claimed = _heartbeat(audit_trail, task_id, since=None)
        # Stuck in a slow step, a live worker keeps its lease (a thread renews it)...
        _heartbeat(audit_trail, task_id, since=claimed)
        first.kill()  # ...and a killed one stops renewing it.
    workers.start("second")  # finds the lease still valid, looks again when it runs out
    wait_until(
        lambda: exports.export_status(ctx=audit_trail.admin, task_id=task_id).ready,
        what="the new worker to take the export over and finish it",
    )
    assert exports.export_status(ctx=audit_trail.admin, task_id=task_id).status == "done"
    assert _ids_in_file(audit_trail, task_id) == _ids_in_log(audit_trail)
