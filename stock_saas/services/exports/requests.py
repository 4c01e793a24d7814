"""Audit-log exports as CSV files: requested by an admin, written in the background.

``request_export`` records the request and announces :class:`ExportRequested` after
commit (the tasks layer enqueues the job; services never import tasks); a worker then
runs it (:mod:`.runs`) with the one CSV writer, :func:`stock_saas.services.audit.write_audit_csv`.

``progress`` is a percentage (0-100).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import computed_field
from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound, ValidationFailed
from stock_saas.models import Export, ExportStatus
from stock_saas.services import events
from stock_saas.services.audit import ExportFilter
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    find_scoped,
    require_role,
    scoped,
)

__all__ = [
    "MAX_ROWS",
    "ExportFile",
    "ExportRequested",
    "ExportView",
    "export_file",
    "export_status",
    "list_exports",
    "request_export",
]

MAX_ROWS = 10_000_000


@dataclass(frozen=True, slots=True)
class ExportRequested(events.Event):
    """An admin asked for an export; published after commit for the tasks layer."""

    task_id: str

    @property
    def type(self) -> str:
        return "export.requested"


class ExportView(View):
    """Where one export stands; ``progress`` is a percentage."""

    task_id: str
    status: ExportStatus
    progress: float
    rows_written: int
    total_rows: int
    created_at: UtcDatetime
    finished_at: UtcDatetime | None
    error: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ready(self) -> bool:
        return self.status == ExportStatus.DONE


@dataclass(frozen=True, slots=True)
class ExportFile:
    path: Path
    filename: str


def _status(row: Export) -> ExportView:
    return ExportView.model_validate(row)


# ---- requests and status (admin) ------------------------------------------------------


def request_export(
    *,
    ctx: Context,
    limit: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    department_id: int | None = None,
    item_id: int | None = None,
) -> ExportView:
    """Record an export of the tenant's audit log; a worker writes it (admin)."""
    require_role(ctx, Role.ADMIN)
    if limit is not None and not 1 <= limit <= MAX_ROWS:
        raise ValidationFailed(f"limit must be between 1 and {MAX_ROWS}.")
    if since is not None and until is not None and since >= until:
        raise Conflict("since must be before until.")  # two fields: 409, not 422
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


def export_status(*, ctx: Context, task_id: str) -> ExportView:
    """Where the tenant's export stands; NotFound for another tenant's task id (admin)."""
    require_role(ctx, Role.ADMIN)
    return _status(_get(ctx, task_id))


def export_file(*, ctx: Context, task_id: str) -> ExportFile:
    """The finished CSV file; Conflict while it is being written (admin)."""
    require_role(ctx, Role.ADMIN)
    row = _get(ctx, task_id)
    if row.status == ExportStatus.EXPIRED:
        raise NotFound("This export has expired; request a new one.")
    if row.status != ExportStatus.DONE or row.file_path is None:
        raise Conflict(f"This export is {row.status}, not ready yet.")
    path = Path(row.file_path)
    if not path.is_file():
        raise NotFound("The export file is gone; request a new one.")
    return ExportFile(path, f"audit-{row.created_at:%Y%m%d-%H%M%S}-{task_id[:8]}.csv")


def list_exports(*, ctx: Context, limit: int = 10) -> list[ExportView]:
    """The tenant's latest exports, newest first (admin)."""
    require_role(ctx, Role.ADMIN)
    if not 1 <= limit <= 100:
        raise ValidationFailed("limit must be between 1 and 100.")
    with read_session() as session:
        query = scoped(ctx, Export).order_by(col(Export.id).desc()).limit(limit)
        return [_status(row) for row in session.exec(query)]
