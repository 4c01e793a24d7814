"""Reports: one item's usage (anyone), the reorder list and its CSV (managers and
admins), and the weekly digest settings.

The figures follow DESIGN.md: ``daily_usage`` = (issued - returned) / days, ``days_left``
= quantity / daily_usage (null when usage <= 0), ``suggested_order`` = max(0,
ceil(threshold + daily_usage x cover_days - quantity)).
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX, DigestScheduleUpdate, DigestUpdate
from stock_saas.services import reports

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reports"], responses=ERROR_RESPONSES)

ItemId = Annotated[int, Path(ge=1, le=ID_MAX)]
OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
DigestChange = Annotated[DigestUpdate, tenant_body(DigestUpdate)]
ScheduleChange = Annotated[DigestScheduleUpdate, tenant_body(DigestScheduleUpdate)]
Days = Annotated[
    int,
    Query(
        ge=1,
        le=reports.MAX_DAYS,
        description=f"The window: the last N days, 1 to {reports.MAX_DAYS}.",
    ),
]
CoverDays = Annotated[
    int,
    Query(
        ge=0,
        le=reports.MAX_COVER_DAYS,
        description="How many days an order should last (0: back to the threshold only).",
    ),
]


@router.get("/items/{item_id}/usage", tags=["items"], responses=error_responses(404))
def item_usage(
    item_id: ItemId,
    ctx: TenantContext,
    days: Days = reports.DEFAULT_DAYS,
    department_id: Annotated[
        int | None,
        Query(ge=1, le=ID_MAX, description="One stock level; without it, every department."),
    ] = None,
) -> reports.ItemUsage:
    """Units issued, returned and written off over the window, daily usage, days left,
    the stock-out date and a zero-filled daily series (UTC dates)."""
    return reports.item_usage(ctx=ctx, item_id=item_id, days=days, department_id=department_id)


@router.get("/reports/reorder")
def reorder_list(
    ctx: TenantContext,
    days: Days = reports.DEFAULT_DAYS,
    cover_days: CoverDays = reports.DEFAULT_COVER_DAYS,
    department_id: OptionalId = None,
    limit: Annotated[int, Query(ge=1, le=reports.MAX_ROWS)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> reports.ReorderReport:
    """Every stock level that is low or will be within ``cover_days``, soonest stock-out
    first, with the quantity to order (manager). ``total`` counts every row; page with
    ``limit``/``offset``."""
    return reports.reorder_list(
        ctx=ctx,
        days=days,
        cover_days=cover_days,
        department_id=department_id,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/reports/reorder.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The whole reorder list"}},
)
def reorder_csv(
    ctx: TenantContext,
    days: Days = reports.DEFAULT_DAYS,
    cover_days: CoverDays = reports.DEFAULT_COVER_DAYS,
    department_id: OptionalId = None,
) -> Response:
    """The whole reorder list as CSV (manager); text cells that a spreadsheet could run
    as a formula are prefixed with ``'``."""
    out = io.StringIO()
    reports.write_reorder_csv(
        ctx=ctx, out=out, days=days, cover_days=cover_days, department_id=department_id
    )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reorder.csv"'},
    )


@router.get("/reports/digest")
def digest_settings(ctx: TenantContext) -> reports.DigestSettings:
    """Your weekly digest: on or off, whether it can reach you, when it goes out next."""
    return reports.digest_settings(ctx=ctx)


@router.patch("/reports/digest")
def set_weekly_digest(body: DigestChange, ctx: CurrentContext) -> reports.DigestSettings:
    """Turn your own weekly reorder digest on or off (managers and admins)."""
    return reports.set_weekly_digest(ctx=ctx, enabled=body.enabled)


@router.patch("/reports/digest/schedule")
def set_digest_time_zone(body: ScheduleChange, ctx: CurrentContext) -> reports.DigestSettings:
    """Set the organisation's time zone: the digest goes out Monday 07:00 there (admin)."""
    return reports.set_time_zone(ctx=ctx, time_zone=body.time_zone)
