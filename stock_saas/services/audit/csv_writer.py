"""The audit log as neutralised CSV: the one writer behind background exports and the CLI.

``write_audit_csv`` pins a snapshot (audit ids up to the newest one at start), then
streams the tenant's matching rows, oldest first, with constant memory. The database
selects plain columns it has already neutralised and formatted (see
:mod:`.safe_csv`), so no Python pass touches every cell:

- on PostgreSQL that one SELECT runs inside ``COPY (…) TO STDOUT WITH (FORMAT csv)``
  and the server writes the CSV rows (within about 2-3x of a bare COPY, see
  ``bench/export.py``);
- elsewhere (SQLite) it is read in keyset-paged batches of BATCH rows, each in its own
  short transaction, and written with ``csv.writer``.

Both give the same cells; an empty text cell is ``""`` from PostgreSQL and empty from
Python, which every CSV reader reads alike.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import String, func, select, type_coerce
from sqlmodel import col

from stock_saas.db import get_engine, read_session
from stock_saas.models import AuditLog
from stock_saas.services.audit.safe_csv import neutralised_sql
from stock_saas.services.core import Context, Role, require_role, scoped_columns

__all__ = ["BATCH", "HEADER", "ExportFilter", "Progress", "write_audit_csv"]

BATCH = 5000
HEADER = (
    "id", "created_at", "item_id", "item", "department_id", "department", "action",
    "delta", "quantity_after", "threshold", "actor", "source", "note", "reason",
)  # fmt: skip
Progress = Callable[[int, int], None]  # (rows written, total rows)


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which audit rows: a date range, a department, an item, and of those the newest
    ``limit`` (written oldest first, like every export)."""

    since: datetime | None = None
    until: datetime | None = None
    department_id: int | None = None
    item_id: int | None = None
    limit: int | None = None
    up_to_id: int | None = None  # the snapshot: audit rows with ids up to this one
    from_id: int | None = None  # where the newest ``limit`` rows start

    def fields(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def to_json(self) -> str:
        return json.dumps(
            {k: v.isoformat() if isinstance(v, datetime) else v for k, v in self.fields().items()}
        )

    @classmethod
    def from_json(cls, text: str) -> ExportFilter:
        raw: dict[str, Any] = json.loads(text or "{}")
        for key in ("since", "until"):
            if raw.get(key):
                raw[key] = datetime.fromisoformat(raw[key])
        return cls(**{k: v for k, v in raw.items() if k in cls.__slots__})


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
    if flt.from_id is not None:
        query = query.where(col(AuditLog.id) >= flt.from_id)
    return query


def _snapshot(ctx: Context, flt: ExportFilter) -> tuple[ExportFilter, int]:
    """``flt`` pinned to id bounds fixed now (up to the newest row; from the first of the
    newest ``limit``), and how many rows that is."""
    with read_session() as session:
        newest = session.execute(scoped_columns(ctx, AuditLog, func.max(AuditLog.id))).scalar()
        pinned = ExportFilter(**{**flt.fields(), "up_to_id": int(newest or 0)})
        if flt.limit is not None:
            first = session.execute(
                _filtered(ctx, pinned, AuditLog.id)
                .order_by(col(AuditLog.id).desc())
                .offset(flt.limit - 1)
                .limit(1)
            ).scalar()
            pinned = ExportFilter(**{**pinned.fields(), "from_id": first, "limit": None})
        count = session.execute(
            select(func.count()).select_from(_filtered(ctx, pinned, AuditLog.id).subquery())
        ).scalar_one()
    return pinned, int(count)


def _columns(dialect: str) -> tuple[Any, ...]:
    """The CSV columns, neutralised and formatted by the database.

    ``action``, ``source`` and ``reason`` are the services' own vocabulary (``issue``,
    ``api``, ``damaged``…), never user text, so they skip the neutralising expression.
    ``reason`` comes last (columns before it keep their places for existing readers).
    """
    created: Any
    if dialect == "postgresql":
        created = func.to_char(
            func.timezone("UTC", AuditLog.created_at), 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'
        )
    else:  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
        created = func.replace(type_coerce(AuditLog.created_at, String), " ", "T") + "+00:00"
    safe = neutralised_sql
    return (
        AuditLog.id, created, AuditLog.item_id, safe(AuditLog.item_name), AuditLog.department_id,
        safe(AuditLog.department_name), AuditLog.action, AuditLog.delta,
        AuditLog.quantity_after, AuditLog.threshold, safe(AuditLog.actor_name),
        AuditLog.source, safe(AuditLog.note), AuditLog.reason,
    )  # fmt: skip


def _write_by_copy(
    ctx: Context, flt: ExportFilter, out: TextIO, beat: Callable[[int], None]
) -> int:
    engine = get_engine()
    query = _filtered(ctx, flt, *_columns("postgresql")).order_by(col(AuditLog.id))
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    written = 0
    with read_session() as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None
        statement = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)"
        with driver.cursor().copy(statement, compiled.params) as copy:
            for row in copy:  # one CSV row per message from the server
                out.write(bytes(row).decode("utf-8"))
                written += 1
                if written % BATCH == 0:
                    beat(written)
    return written


def _write_by_pages(
    ctx: Context, flt: ExportFilter, out: TextIO, beat: Callable[[int], None]
) -> int:
    writer = csv.writer(out, lineterminator="\n")
    columns = _columns(get_engine().dialect.name)
    last_id, written = 0, 0
    while True:
        query = _filtered(ctx, flt, *columns).where(col(AuditLog.id) > last_id)
        with read_session() as session:
            # Core, not the ORM: no per-row entity loading for plain columns.
            rows = session.connection().execute(query.order_by(col(AuditLog.id)).limit(BATCH)).all()
        if not rows:
            break
        writer.writerows(rows)
        last_id, written = rows[-1][0], written + len(rows)
        beat(written)
    return written


def write_audit_csv(
    *, ctx: Context, out: TextIO, flt: ExportFilter | None = None, progress: Progress | None = None
) -> int:
    """Write the tenant's matching audit rows, oldest first, as neutralised CSV with a
    header; ``progress(written, total)`` after every batch. Returns the rows written (admin)."""
    require_role(ctx, Role.ADMIN)
    pinned, total = _snapshot(ctx, flt or ExportFilter())
    csv.writer(out, lineterminator="\n").writerow(HEADER)

    def beat(written: int) -> None:
        if progress is not None:
            progress(written, max(total, written))

    if get_engine().dialect.name == "postgresql":
        written = _write_by_copy(ctx, pinned, out, beat)
    else:
        written = _write_by_pages(ctx, pinned, out, beat)
    beat(written)
    return written
