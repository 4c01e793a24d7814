"""Audit-log CSV exports (admin): request one, poll it, download it.

``POST`` answers 202 with a task id at once; a Celery worker writes the file. ``GET``
answers 202 with status and progress (percent) while it runs, 200 with the CSV as an
attachment when done, 409 if it failed, 404 for an unknown, expired or another tenant's
task id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from stock_saas.api.deps import TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX, DateTime
from stock_saas.errors import Conflict
from stock_saas.services import exports

__all__ = ["router"]

router = APIRouter(prefix="/api/analytics/audit", tags=["audit"], responses=ERROR_RESPONSES)

OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
TaskId = Annotated[str, Path(min_length=1, max_length=64)]


class ExportTask(BaseModel):
    task_id: str


class ExportProgress(BaseModel):
    task_id: str
    status: exports.ExportStatus
    progress: float = Field(description="Percent, 0-100.")
    rows_written: int
    total_rows: int


@router.post("/export", status_code=status.HTTP_202_ACCEPTED, responses=error_responses(409))
def request_export(
    ctx: TenantContext,
    limit: Annotated[int | None, Query(ge=1, le=exports.MAX_ROWS)] = None,
    since: DateTime | None = None,
    until: DateTime | None = None,
    department_id: OptionalId = None,
    item_id: OptionalId = None,
) -> ExportTask:
    """Start writing the tenant's audit log as CSV, oldest first (with ``limit``: the newest
    ``limit`` rows)."""
    started = exports.request_export(
        ctx=ctx,
        limit=limit,
        since=since,
        until=until,
        department_id=department_id,
        item_id=item_id,
    )
    return ExportTask(task_id=started.task_id)


@router.get(
    "/export/{task_id}",
    responses={
        200: {"content": {"text/csv": {}}, "description": "The finished CSV file"},
        202: {"model": ExportProgress, "description": "Still being written"},
        **error_responses(404, 409),
    },
    response_model=None,
)
def export_result(task_id: TaskId, ctx: TenantContext) -> FileResponse | JSONResponse:
    """The CSV once it is written; until then its status and progress."""
    current = exports.export_status(ctx=ctx, task_id=task_id)
    if current.status in (exports.ExportStatus.PENDING, exports.ExportStatus.RUNNING):
        body = ExportProgress.model_validate(current, from_attributes=True)
        return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED)
    if current.status == exports.ExportStatus.FAILED:
        raise Conflict(f"This export failed ({current.error}); request a new one.")
    found = exports.export_file(ctx=ctx, task_id=task_id)
    return FileResponse(found.path, media_type="text/csv; charset=utf-8", filename=found.filename)
