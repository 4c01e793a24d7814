"""Running requested exports in a worker, resuming interrupted ones, expiring old files.

``run_export`` claims the row (pending, or running with a heartbeat older than
EXPORT_LEASE_SECONDS: its worker died), writes the CSV into a private temporary file
under EXPORT_DIR/<tenant id>/ while it holds the export's :class:`.lease.Lease` (renewed
by a thread, with progress), and renames the file into place when complete. An
interrupted export is written again from the start, so a file never holds a row twice;
a worker whose claim was taken over stops at its next renewal and leaves no file.
``exports_to_resume`` finds the exports whose lease ran out, and ``next_lease_expiry``
says when the next live-looking one would, so a starting worker can look again then.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select, update
from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.models import Export, ExportStatus
from stock_saas.services import events
from stock_saas.services.audit import ExportFilter, write_audit_csv
from stock_saas.services.core import Context, Role, as_utc, require_role, scoped_update, utcnow
from stock_saas.services.exports.lease import Lease, LostClaim
from stock_saas.services.exports.requests import ExportView, export_status

__all__ = ["exports_to_resume", "next_lease_expiry", "purge_expired", "run_export"]

log = logging.getLogger(__name__)
PENDING_GRACE_SECONDS = 30  # a request not picked up by then lost its queue message


def run_export(*, ctx: Context, task_id: str) -> ExportView:
    """Write the export unless another live worker is on it or it is finished (admin)."""
    require_role(ctx, Role.ADMIN)
    settings = get_settings()
    claimed = _claim(ctx, task_id, settings.export_lease_seconds)
    if claimed is None:
        return export_status(ctx=ctx, task_id=task_id)
    fence, filters = claimed
    directory = (settings.export_dir / str(ctx.tenant_id)).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"audit-{task_id}.csv"
    part = directory / f".audit-{task_id}.{secrets.token_hex(4)}.part"
    lease = Lease(ctx, task_id, fence, settings.export_lease_seconds)
    try:
        with part.open("w", newline="", encoding="utf-8") as out:
            written = write_audit_csv(
                ctx=ctx, out=out, flt=ExportFilter.from_json(filters), progress=lease.progress
            )
        lease.release()
        lease.progress(written, written)  # still ours? then the file may take its place
        part.replace(final)
        _finish(ctx, task_id, lease.fence, status=ExportStatus.DONE, rows=written, path=str(final))
    except LostClaim:
        log.warning("export %s was taken over by another worker", task_id)
        part.unlink(missing_ok=True)
    except Exception as exc:
        log.exception("export %s failed", task_id)
        part.unlink(missing_ok=True)
        error = f"{type(exc).__name__}: {exc}"
        _finish(ctx, task_id, lease.fence, status=ExportStatus.FAILED, error=error)
    finally:
        lease.release()
    return export_status(ctx=ctx, task_id=task_id)


def _claim(ctx: Context, task_id: str, lease_seconds: int) -> tuple[datetime, str] | None:
    now = utcnow()
    stale = now - timedelta(seconds=lease_seconds)
    with write_session() as session:
        row = session.execute(
            scoped_update(ctx, Export)
            .where(
                col(Export.task_id) == task_id,
                or_(
                    col(Export.status) == ExportStatus.PENDING,
                    (col(Export.status) == ExportStatus.RUNNING)
                    & or_(col(Export.heartbeat_at).is_(None), col(Export.heartbeat_at) < stale),
                ),
            )
            .values(
                status=ExportStatus.RUNNING,
                heartbeat_at=now,
                rows_written=0,
                progress=0.0,
                error=None,
            )
            .returning(col(Export.filters))
        ).first()
    return None if row is None else (now, str(row[0]))


def _finish(
    ctx: Context,
    task_id: str,
    fence: datetime,
    *,
    status: ExportStatus,
    rows: int = 0,
    path: str | None = None,
    error: str | None = None,
) -> None:
    values: dict[str, object] = {"status": status, "finished_at": utcnow(), "error": error}
    if status == ExportStatus.DONE:
        values.update(progress=100.0, rows_written=rows, total_rows=rows, file_path=path)
    with write_session() as session:
        result = session.execute(
            scoped_update(ctx, Export)
            .where(col(Export.task_id) == task_id, col(Export.heartbeat_at) == fence)
            .values(**values)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            events.emit(
                session,
                events.ExportFinished(
                    tenant_id=ctx.tenant_id, task_id=task_id, status=status.value, rows=rows
                ),
            )


# ---- housekeeping for the scheduler (ids and files only, every tenant) ----------------


def exports_to_resume() -> list[tuple[int, str]]:
    """(tenant id, task id) of requests nobody picked up and of runs whose worker died."""
    settings = get_settings()
    now = utcnow()
    waiting = (col(Export.status) == ExportStatus.PENDING) & (
        col(Export.created_at) < now - timedelta(seconds=PENDING_GRACE_SECONDS)
    )
    orphaned = (col(Export.status) == ExportStatus.RUNNING) & or_(
        col(Export.heartbeat_at).is_(None),
        col(Export.heartbeat_at) < now - timedelta(seconds=settings.export_lease_seconds),
    )
    query = select(col(Export.tenant_id), col(Export.task_id)).where(or_(waiting, orphaned))
    with read_session() as session:
        return [(int(t), str(task)) for t, task in session.execute(query.order_by(col(Export.id)))]


def next_lease_expiry() -> float | None:
    """Seconds until the freshest lease of a running export runs out (None: none runs).

    A worker that starts while a dead worker's lease still looks valid checks again then:
    by that time every export whose worker died before it started is free."""
    settings = get_settings()
    query = select(func.max(col(Export.heartbeat_at))).where(
        col(Export.status) == ExportStatus.RUNNING
    )
    with read_session() as session:
        freshest = session.execute(query).scalar()
    if freshest is None:
        return None
    expiry = as_utc(freshest) + timedelta(seconds=settings.export_lease_seconds)
    return max((expiry - utcnow()).total_seconds(), 0.0)


def purge_expired() -> int:
    """Delete files finished more than EXPORT_TTL_SECONDS ago (and stray temporary files);
    their rows stay, marked ``expired``. Returns how many exports expired."""
    settings = get_settings()
    cutoff = utcnow() - timedelta(seconds=settings.export_ttl_seconds)
    old = (col(Export.status).in_((ExportStatus.DONE, ExportStatus.FAILED))) & (
        col(Export.finished_at) < cutoff
    )
    with read_session() as session:
        rows = session.execute(select(col(Export.id), col(Export.file_path)).where(old)).all()
    for _, file_path in rows:
        if file_path:
            Path(file_path).unlink(missing_ok=True)
    if rows:
        with write_session() as session:
            session.execute(
                update(Export)
                .where(col(Export.id).in_([r[0] for r in rows]), old)
                .values(status=ExportStatus.EXPIRED, file_path=None)
            )
    _remove_stray_parts(settings.export_dir, time.time() - settings.export_ttl_seconds)
    return len(rows)


def _remove_stray_parts(export_dir: Path, older_than: float) -> None:
    if not export_dir.is_dir():
        return
    for part in export_dir.glob("*/.audit-*.part"):
        try:
            if part.stat().st_mtime < older_than:
                part.unlink()
        except FileNotFoundError:
            pass
