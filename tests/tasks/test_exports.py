"""Audit-log exports (services, run in this process): content, scoping, recovery, expiry."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.errors import Forbidden, NotFound
from stock_saas.models import Export
from stock_saas.services import audit, exports
from stock_saas.services.audit import neutralise
from stock_saas.services.core import Context
from stock_saas.tasks.system import system_context
from tests.tasks.conftest import FORMULAS, AuditTrail


def _run(ctx: Context, **filters: object) -> exports.ExportView:
    requested = exports.request_export(ctx=ctx, **filters)  # type: ignore[arg-type]
    return exports.run_export(ctx=system_context(ctx.tenant_id), task_id=requested.task_id)


def _read(ctx: Context, task_id: str) -> list[dict[str, str]]:
    path = exports.export_file(ctx=ctx, task_id=task_id).path
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _expected(ctx: Context) -> list[tuple[str, str, str, str, str]]:
    """(id, item, department, delta, quantity_after) of the tenant's log, oldest first."""
    return [
        (str(e.id), neutralise(e.item_name), e.department_name, str(e.delta), str(e.quantity_after))
        for batch in audit.iter_entries(ctx=ctx)
        for e in batch
    ]


def _got(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    return [(r["id"], r["item"], r["department"], r["delta"], r["quantity_after"]) for r in rows]


def test_export_holds_exactly_the_tenants_audit_log_oldest_first(
    audit_trail: AuditTrail, export_dir: Path
):
    done = _run(audit_trail.admin)
    assert _got(_read(audit_trail.admin, done.task_id)) == _expected(audit_trail.admin)


def test_export_never_holds_another_tenants_rows(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin)
    items = {row["item"] for row in _read(audit_trail.admin, done.task_id)}
    assert "Secret reagent" not in items


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(
    audit_trail: AuditTrail, export_dir: Path
):
    done = _run(audit_trail.admin)
    rows = _read(audit_trail.admin, done.task_id)
    assert {r["item"] for r in rows} >= {"'" + f for f in FORMULAS}
    assert "-7" in {r["delta"] for r in rows}


def test_finished_export_reports_every_row_and_full_progress(
    audit_trail: AuditTrail, export_dir: Path
):
    done = _run(audit_trail.admin)
    expected = len(_expected(audit_trail.admin))
    assert (done.status, done.progress, done.rows_written) == ("done", 100.0, expected)


def test_limit_exports_the_newest_rows_oldest_first(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin, limit=3)
    assert _got(_read(audit_trail.admin, done.task_id)) == _expected(audit_trail.admin)[-3:]


def test_limit_above_the_log_exports_all_of_it(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin, limit=1000)
    assert _got(_read(audit_trail.admin, done.task_id)) == _expected(audit_trail.admin)


def test_department_filter_keeps_only_that_department(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin, department_id=audit_trail.lab_id)
    departments = {row["department"] for row in _read(audit_trail.admin, done.task_id)}
    assert departments == {"Lab"}


def test_date_range_outside_the_log_exports_only_the_header(
    audit_trail: AuditTrail, export_dir: Path
):
    done = _run(audit_trail.admin, until=datetime.now(UTC) - timedelta(days=1))
    assert (done.status, _read(audit_trail.admin, done.task_id)) == ("done", [])


def test_another_tenants_task_id_is_not_found(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin)
    with pytest.raises(NotFound):
        exports.export_status(ctx=audit_trail.other_admin, task_id=done.task_id)


def test_another_tenants_file_is_not_found(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin)
    with pytest.raises(NotFound):
        exports.export_file(ctx=audit_trail.other_admin, task_id=done.task_id)


def test_a_manager_cannot_request_an_export(audit_trail: AuditTrail, export_dir: Path):
    with pytest.raises(Forbidden):
        exports.request_export(ctx=audit_trail.manager)


def _interrupt(task_id: str, export_dir: Path, tenant_id: int) -> None:
    """Leave the export as a killed worker would: running, stale heartbeat, half a file."""
    stale = datetime.now(UTC) - timedelta(hours=1)
    with write_session() as session:
        session.execute(
            update(Export)
            .where(col(Export.task_id) == task_id)
            .values(status="running", heartbeat_at=stale, rows_written=2)
        )
    part = export_dir / str(tenant_id) / f".audit-{task_id}.dead.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_text("id,created_at\n1,half a row")


def test_an_interrupted_export_is_resumed_and_written_whole(
    audit_trail: AuditTrail, export_dir: Path
):
    requested = exports.request_export(ctx=audit_trail.admin)
    _interrupt(requested.task_id, export_dir, audit_trail.admin.tenant_id)
    [(tenant_id, task_id)] = exports.exports_to_resume()
    exports.run_export(ctx=system_context(tenant_id), task_id=task_id)
    assert _got(_read(audit_trail.admin, task_id)) == _expected(audit_trail.admin)


def test_an_export_a_live_worker_is_writing_is_left_alone(
    audit_trail: AuditTrail, export_dir: Path
):
    requested = exports.request_export(ctx=audit_trail.admin)
    with write_session() as session:
        session.execute(update(Export).values(status="running", heartbeat_at=datetime.now(UTC)))
    status = exports.run_export(
        ctx=system_context(audit_trail.admin.tenant_id), task_id=requested.task_id
    )
    assert status.status == "running"
    assert exports.exports_to_resume() == []


def test_expired_exports_lose_their_file(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin)
    path = exports.export_file(ctx=audit_trail.admin, task_id=done.task_id).path
    with write_session() as session:
        session.execute(update(Export).values(finished_at=datetime.now(UTC) - timedelta(days=2)))
    assert exports.purge_expired() == 1
    assert not path.exists()
    with pytest.raises(NotFound):
        exports.export_file(ctx=audit_trail.admin, task_id=done.task_id)


def test_fresh_exports_are_kept(audit_trail: AuditTrail, export_dir: Path):
    done = _run(audit_trail.admin)
    assert exports.purge_expired() == 0
    assert exports.export_file(ctx=audit_trail.admin, task_id=done.task_id).path.is_file()
