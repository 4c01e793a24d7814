"""Audit-log exports as CSV files: requested by an admin, written in the background.

``request_export`` records the request and announces :class:`ExportRequested` after
commit (the tasks layer enqueues the job; services never import tasks); a worker then
runs it (:mod:`stock_saas.services.export_runs`). ``write_audit_csv`` is the one writer
(worker and CLI): it pins the snapshot to the newest audit id at start and streams the
tenant's matching rows from the database in keyset-paged batches of plain columns
(no ORM objects, so memory stays flat and it keeps up with PostgreSQL's COPY).

``progress`` is a percentage (0-100).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound, ValidationFailed
from stock_saas.models import AuditLog, Export
from stock_saas.services import events
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.safe_csv import NeutralisingWriter
from stock_saas.services.scoping import find_scoped, scoped, scoped_columns

__all__ = [
    "HEADER",
    "MAX_ROWS",
    "ExportFile",
    "ExportFilter",
    "ExportRequested",
    "ExportStatus",
    "export_file",
    "export_status",
    "list_exports",
    "request_export",
    "write_audit_csv",
]

MAX_ROWS = 10_000_000
BATCH = 5000
HEADER = (
    "id", "created_at", "item_id", "item", "department_id", "department", "action",
    "delta", "quantity_after", "threshold", "actor", "source", "note",
)  # fmt: skip
_COLUMNS = (
    AuditLog.id, AuditLog.created_at, AuditLog.item_id, AuditLog.item_name,
    AuditLog.department_id, AuditLog.department_name, AuditLog.action, AuditLog.delta,
    AuditLog.quantity_after, AuditLog.threshold, AuditLog.actor_name, AuditLog.source,
    AuditLog.note,
)  # fmt: skip
Progress = Callable[[int, int], None]  # (rows written, total rows)


@dataclass(frozen=True, slots=True)
class ExportRequested(events.Event):
    """An admin asked for an export; published after commit for the tasks layer."""

    task_id: str

    @property
    def type(self) -> str:
        return "export.requested"


@dataclass(frozen=True, slots=True)
class ExportFilter:
    since: datetime | None = None
    until: datetime | None = None
    department_id: int | None = None
    item_id: int | None = None
    limit: int | None = None
    up_to_id: int | None = None  # the snapshot: audit rows with ids up to this one

    def to_json(self) -> str:
        values = {k: getattr(self, k) for k in self.__slots__}
        return json.dumps(
            {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
        )

    @classmethod
    def from_json(cls, text: str) -> ExportFilter:
        raw: dict[str, Any] = json.loads(text or "{}")
        for key in ("since", "until"):
            if raw.get(key):
                raw[key] = datetime.fromisoformat(raw[key])
        return cls(**{k: v for k, v in raw.items() if k in cls.__slots__})


@dataclass(frozen=True, slots=True)
class ExportStatus:
    task_id: str
    status: str  # pending | running | done | failed | expired
    progress: float
    rows_written: int
    total_rows: int
    created_at: datetime
    finished_at: datetime | None
    error: str | None

    @property
    def ready(self) -> bool:
        return self.status == "done"


@dataclass(frozen=True, slots=True)
class ExportFile:
    path: Path
    filename: str


def _now() -> datetime:
    return datetime.now(UTC)


def _status(row: Export) -> ExportStatus:
    return ExportStatus(
        row.task_id,
        row.status,
        row.progress,
        row.rows_written,
        row.total_rows,
        row.created_at,
        row.finished_at,
        row.error,
    )


# ---- requests and status (admin) ------------------------------------------------------


def request_export(
    *,
    ctx: Context,
    limit: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    department_id: int | None = None,
    item_id: int | None = None,
) -> ExportStatus:
    """Record an export of the tenant's audit log; a worker writes it (admin)."""
    require_role(ctx, Role.ADMIN)
    if limit is not None and not 1 <= limit <= MAX_ROWS:
        raise ValidationFailed(f"limit must be between 1 and {MAX_ROWS}.")
    if since is not None and until is not None and since >= until:
        raise ValidationFailed("since must be before until.")
    flt = ExportFilter(since, until, department_id, item_id, limit)
    task_id = secrets.token_hex(16)
    with write_session() as session:
        row = Export(
            tenant_id=ctx.tenant_id,
            task_id=task_id,
            requested_by=ctx.user_id,
            filters=flt.to_json(),
        )
        session.add(row)
        session.flush()
        events.emit(session, ExportRequested(tenant_id=ctx.tenant_id, task_id=task_id))
        return _status(row)


def _get(ctx: Context, task_id: str) -> Export:
    with read_session() as session:
        row = find_scoped(session, ctx, Export, task_id=task_id)
    if row is None:
        raise NotFound(f"No export with task id {task_id!r}.")
    return row


def export_status(*, ctx: Context, task_id: str) -> ExportStatus:
    """Where the tenant's export stands; NotFound for another tenant's task id (admin)."""
    require_role(ctx, Role.ADMIN)
    return _status(_get(ctx, task_id))


def export_file(*, ctx: Context, task_id: str) -> ExportFile:
    """The finished CSV file; Conflict while it is being written (admin)."""
    require_role(ctx, Role.ADMIN)
    row = _get(ctx, task_id)
    if row.status == "expired":
        raise NotFound("This export has expired; request a new one.")
    if row.status != "done" or row.file_path is None:
        raise Conflict(f"This export is {row.status}, not ready yet.")
    path = Path(row.file_path)
    if not path.is_file():
        raise NotFound("The export file is gone; request a new one.")
    return ExportFile(path, f"audit-{row.created_at:%Y%m%d-%H%M%S}-{task_id[:8]}.csv")


def list_exports(*, ctx: Context, limit: int = 10) -> list[ExportStatus]:
    """The tenant's latest exports, newest first (admin)."""
    require_role(ctx, Role.ADMIN)
    if not 1 <= limit <= 100:
        raise ValidationFailed("limit must be between 1 and 100.")
    with read_session() as session:
        query = scoped(ctx, Export).order_by(col(Export.id).desc()).limit(limit)
        return [_status(row) for row in session.exec(query)]


# ---- writing ----------------------------------------------------------------------------


def _filtered(ctx: Context, flt: ExportFilter, *columns: Any):  # type: ignore[no-untyped-def]
    query = scoped_columns(ctx, AuditLog, *columns)
    if flt.department_id is not None:
        query = query.where(col(AuditLog.department_id) == flt.department_id)
    if flt.item_id is not None:
        query = query.where(col(AuditLog.item_id) == flt.item_id)
    if flt.since is not None:
        query = query.where(col(AuditLog.created_at) >= flt.since)
    if flt.until is not None:
        query = query.where(col(AuditLog.created_at) < flt.until)
    if flt.up_to_id is not None:
        query = query.where(col(AuditLog.id) <= flt.up_to_id)
    return query


def _snapshot(ctx: Context, flt: ExportFilter) -> tuple[ExportFilter, int]:
    """``flt`` pinned to the newest audit row now, and how many rows it will write."""
    with read_session() as session:
        newest = session.execute(scoped_columns(ctx, AuditLog, func.max(AuditLog.id))).scalar()
        pinned = ExportFilter(**{**_fields(flt), "up_to_id": int(newest or 0)})
        count = session.execute(
            select(func.count()).select_from(_filtered(ctx, pinned, AuditLog.id).subquery())
        ).scalar_one()
    total = int(count) if flt.limit is None else min(int(count), flt.limit)
    return pinned, total


def _fields(flt: ExportFilter) -> dict[str, Any]:
    return {k: getattr(flt, k) for k in flt.__slots__}


def _batches(ctx: Context, flt: ExportFilter) -> Iterator[list[tuple[Any, ...]]]:
    last_id, remaining = 0, flt.limit
    while remaining is None or remaining > 0:
        size = BATCH if remaining is None else min(BATCH, remaining)
        query = _filtered(ctx, flt, *_COLUMNS).where(col(AuditLog.id) > last_id)
        with read_session() as session:
            rows = session.execute(query.order_by(col(AuditLog.id)).limit(size)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        if remaining is not None:
            remaining -= len(rows)
        yield [(r[0], _iso(r[1]), *r[2:]) for r in rows]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def write_audit_csv(
    *, ctx: Context, out: TextIO, flt: ExportFilter | None = None, progress: Progress | None = None
) -> int:
    """Stream the tenant's matching audit rows, oldest first, as neutralised CSV (admin)."""
    require_role(ctx, Role.ADMIN)
    pinned, total = _snapshot(ctx, flt or ExportFilter())
    writer = NeutralisingWriter(out)
    writer.writerow(HEADER)
    written = 0
    for rows in _batches(ctx, pinned):
        writer.writerows(rows)
        written += len(rows)
        if progress is not None:
            progress(written, max(total, written))
    return written
