"""Items and stock: the listing, movements (add/issue/return/transfer), lookup, status.

Anyone in the tenant lists, looks up, issues and returns; managers add, transfer and
edit items. The services decide; these routes only translate.

The movement routes are the hot path (scanners issue and return all day): they are
``async`` and run the service in the thread pool themselves, so a request costs two
thread hops (token check, service) instead of three (FastAPI validates a sync route's
answer in the pool too).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import (
    ID_MAX,
    AddStockRequest,
    Barcode,
    ItemPublic,
    ItemUpdate,
    MovementPublic,
    MoveRequest,
    SearchText,
    StatusReport,
    StockPage,
    StockRowPublic,
    TransferPublic,
    TransferRequest,
)
from stock_saas.services import items, stock, stock_queries
from stock_saas.services.stock import StockChange
from stock_saas.services.stock_queries import MAX_PAGE

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["items"], responses=ERROR_RESPONSES)

ItemId = Annotated[int, Path(ge=1, le=ID_MAX)]
OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, 1 to {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
Low = Annotated[bool | None, Query(description="true: only low levels; false: only the rest.")]
NewStock = Annotated[AddStockRequest, tenant_body(AddStockRequest)]
Movement = Annotated[MoveRequest, tenant_body(MoveRequest)]
Transfer = Annotated[TransferRequest, tenant_body(TransferRequest)]
_MOVE = error_responses(404, 409)


def _movement(change: StockChange) -> MovementPublic:
    return MovementPublic.model_validate(change, from_attributes=True)


@router.get("/items")
def list_items(
    ctx: TenantContext,
    q: Annotated[SearchText | None, Query(description="Name prefix or exact barcode.")] = None,
    department_id: OptionalId = None,
    category_id: OptionalId = None,
    low: Low = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Literal["name", "quantity", "threshold", "department", "category"] = "name",
    descending: bool = False,
) -> StockPage:
    """One page of stock levels (one row per item and department) and the total count."""
    page = stock_queries.list_stock(
        ctx=ctx,
        q=q,
        department_id=department_id,
        category_id=category_id,
        low=low,
        limit=limit,
        offset=offset,
        sort=sort,
        descending=descending,
    )
    return StockPage(
        items=[StockRowPublic.model_validate(r, from_attributes=True) for r in page.rows],
        total=page.total,
    )


@router.post("/items/add", responses=_MOVE)
def add_stock(body: NewStock, ctx: CurrentContext) -> MovementPublic:
    """Add units (manager); creates the item, and the department/category it names."""
    return _movement(
        stock.add_stock(
            ctx=ctx,
            name=body.name,
            quantity=body.quantity,
            threshold=body.threshold,
            department=body.department,
            category=body.category,
            barcode=body.barcode,
            note=body.note,
        )
    )


@router.post("/items/issue", responses=_MOVE)
async def issue_stock(body: Movement, ctx: CurrentContext) -> MovementPublic:
    """Take units out; 409 and nothing changed when fewer are on hand."""
    change = await run_in_threadpool(
        stock.issue_stock,
        ctx=ctx,
        item=body.item,
        quantity=body.quantity,
        department=body.department,
        note=body.note,
    )
    return _movement(change)


@router.post("/items/return", responses=_MOVE)
async def return_stock(body: Movement, ctx: CurrentContext) -> MovementPublic:
    """Put issued units back."""
    change = await run_in_threadpool(
        stock.return_stock,
        ctx=ctx,
        item=body.item,
        quantity=body.quantity,
        department=body.department,
        note=body.note,
    )
    return _movement(change)


@router.post("/items/transfer", responses=_MOVE)
def transfer_stock(body: Transfer, ctx: CurrentContext) -> TransferPublic:
    """Move units between two departments in one transaction (manager)."""
    moved = stock.transfer_stock(
        ctx=ctx,
        item=body.item,
        quantity=body.quantity,
        from_department=body.from_department,
        to_department=body.to_department,
        note=body.note,
    )
    return TransferPublic(source=_movement(moved.source), destination=_movement(moved.destination))


@router.get("/items/lookup", responses=error_responses(404))
def lookup_barcode(ctx: TenantContext, barcode: Annotated[Barcode, Query()]) -> ItemPublic:
    """The item with this barcode (scanner input)."""
    return ItemPublic.model_validate(
        items.lookup_barcode(ctx=ctx, barcode=barcode), from_attributes=True
    )


@router.get("/items/{item_id}", responses=error_responses(404))
def get_item(item_id: ItemId, ctx: TenantContext) -> ItemPublic:
    return ItemPublic.model_validate(items.get_item(ctx=ctx, item_id=item_id), from_attributes=True)


@router.patch("/items/{item_id}", responses=error_responses(404, 409))
def update_item(item_id: ItemId, body: ItemUpdate, ctx: TenantContext) -> ItemPublic:
    """Change name, barcode, category or notes (manager); only the fields sent change."""
    changes = body.model_dump(exclude_unset=True)
    if "barcode" in changes:
        changes["barcode"] = changes["barcode"] or ""
    if "category" in changes:
        changes["category"] = changes["category"] or None
    view = items.update_item(ctx=ctx, item_id=item_id, **changes)
    return ItemPublic.model_validate(view, from_attributes=True)


@router.get("/status", tags=["status"])
def stock_status(
    ctx: TenantContext,
    department_id: OptionalId = None,
    low: Low = None,
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
) -> StatusReport:
    """Stock levels with their low flags, and how many are low (same filters)."""
    page = stock_queries.list_stock(
        ctx=ctx, department_id=department_id, low=low, limit=limit, offset=offset
    )
    low_count = (
        stock_queries.list_stock(ctx=ctx, department_id=department_id, low=True, limit=1).total
        if low is not False
        else 0
    )
    return StatusReport(
        items=[StockRowPublic.model_validate(r, from_attributes=True) for r in page.rows],
        total=page.total,
        low_count=low_count,
    )
