"""Stock counts: start (manager), read and list (anyone), record counted rows (anyone),
submit or cancel (manager), and the variance report as CSV."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import (
    ID_MAX,
    CountLines,
    CountList,
    LinesRequest,
    SearchText,
    StartCountRequest,
    TenantBody,
)
from stock_saas.services import counts
from stock_saas.services.counts import CountPage, CountStatus, CountView

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["counts"], responses=ERROR_RESPONSES)

CountId = Annotated[int, Path(ge=1, le=ID_MAX)]
Start = Annotated[StartCountRequest, tenant_body(StartCountRequest)]
Confirm = Annotated[TenantBody, tenant_body(TenantBody)]
Lines = Annotated[LinesRequest, tenant_body(LinesRequest)]
_CHANGE = error_responses(404, 409)


@router.post("/counts", status_code=201, responses=_CHANGE)
def start_count(body: Start, ctx: CurrentContext) -> CountView:
    """Start counting a department (manager): its stock levels become the count's lines.
    409 when the department already has an open count."""
    return counts.start_count(ctx=ctx, department=body.department, blind=body.blind, note=body.note)


@router.get("/counts")
def list_counts(
    ctx: TenantContext,
    status: CountStatus | None = None,
    department_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=counts.MAX_PAGE)] = 50,
) -> CountList:
    """The tenant's counts, newest first."""
    found = counts.list_counts(ctx=ctx, status=status, department_id=department_id, limit=limit)
    return CountList(counts=found)


@router.get("/counts/{count_id}", responses=error_responses(404))
def get_count(
    count_id: CountId,
    ctx: TenantContext,
    q: Annotated[SearchText | None, Query(description="Item name prefix or barcode.")] = None,
    limit: Annotated[int, Query(ge=1, le=counts.MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> CountPage:
    """A count, its summary, and one page of its lines in item name order."""
    return counts.get_count(ctx=ctx, count_id=count_id, q=q, limit=limit, offset=offset)


@router.patch("/counts/{count_id}/lines", responses=_CHANGE)
def record_lines(count_id: CountId, body: Lines, ctx: CurrentContext) -> CountLines:
    """Record counted quantities or scans on an open count, all or nothing; answers the
    lines as they are now."""
    entries = [line.entry() for line in body.lines]
    return CountLines(lines=counts.record_counts(ctx=ctx, count_id=count_id, entries=entries))


@router.post("/counts/{count_id}/submit", responses=_CHANGE)
def submit_count(count_id: CountId, body: Confirm, ctx: CurrentContext) -> CountView:
    """Apply every counted line's variance as an adjust (reason ``counted``) in one
    transaction and close the count (manager); 409 on a second submit."""
    return counts.submit_count(ctx=ctx, count_id=count_id)


@router.post("/counts/{count_id}/cancel", responses=_CHANGE)
def cancel_count(count_id: CountId, body: Confirm, ctx: CurrentContext) -> CountView:
    """Close an open count without changing stock (manager)."""
    return counts.cancel_count(ctx=ctx, count_id=count_id)


@router.get(
    "/counts/{count_id}/variances",
    responses={
        200: {"content": {"text/csv": {}}, "description": "One row per line"},
        **error_responses(404),
    },
    response_class=Response,
)
def variance_report(count_id: CountId, ctx: TenantContext) -> Response:
    """The count's lines with expected, counted, variance and what was applied, as CSV."""
    out = io.StringIO()
    counts.write_variance_csv(ctx=ctx, count_id=count_id, out=out)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="count-{count_id}.csv"'},
    )
