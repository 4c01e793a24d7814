"""Exports written by real Celery workers, and resumed by a restarted one."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from celery import Celery
from sqlalchemy import update
from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.models import Export
from stock_saas.services import audit, exports
from tests.support.waiting import wait_until
from tests.tasks.conftest import AuditTrail, Workers, on_both_brokers

RESULT_TIMEOUT = 120


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
