"""Stock in and out as CSV: the export (anyone in the tenant) and the import (manager).

``POST /api/items/import`` answers 202 with a task id at once and runs the import after
the response (a dry run by default); ``GET /api/items/import/{task_id}`` reports its
status, progress, counts and every row error. Files over 20 MB are refused with 413
before anything is read (``api.middleware``), files over 100,000 rows by the import.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Path, Query, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from stock_saas.api.deps import TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX
from stock_saas.services import imports

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["import and export"], responses=ERROR_RESPONSES)

TaskId = Annotated[str, Path(min_length=1, max_length=64)]


class ImportTask(BaseModel):
    task_id: str


@router.get(
    "/stock/export",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The stock levels as CSV"},
        **error_responses(404),
    },
)
def export_stock(
    ctx: TenantContext,
    department_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
) -> Response:
    """Every stock level (or one department's) as CSV in the import's columns:
    ``name,department,category,quantity,threshold,barcode``; formula-looking cells are
    neutralised with a leading ``'`` (the import reads them back as they were)."""
    out = io.StringIO(newline="")
    imports.write_stock_csv(ctx=ctx, out=out, department=department_id)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="stock.csv"'},
    )


@router.post("/items/import", status_code=status.HTTP_202_ACCEPTED, responses=error_responses(413))
async def import_items(
    ctx: TenantContext,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="CSV, UTF-8, comma or semicolon, ≤ 20 MB")],
    dry_run: Annotated[bool, Query(description="true: only report what it would do")] = True,
) -> ImportTask:
    """Start an import of the CSV ``file`` (manager). Poll ``GET /api/items/import/{task_id}``
    for progress, counts and row errors; a file with any error writes nothing."""
    data = await file.read(imports.MAX_BYTES + 1)
    task_id = await run_in_threadpool(
        imports.start_import, ctx=ctx, size=len(data), dry_run=dry_run
    )
    background.add_task(imports.run_import_job, ctx=ctx, task_id=task_id, data=data)
    return ImportTask(task_id=task_id)


@router.get("/items/import/{task_id}", responses=error_responses(404))
def import_status(task_id: TaskId, ctx: TenantContext) -> imports.ImportStatusView:
    """Status (pending, running, done, failed), progress in percent, the counts of levels
    to create / update / unchanged, the first changes (old → new) and every row error."""
    return imports.import_status(ctx=ctx, task_id=task_id)
