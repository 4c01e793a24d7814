"""Items and stock: the listing, movements (add/issue/return/transfer), lookup, status.

Anyone in the tenant lists, looks up, issues and returns; managers add, transfer and
edit items. The services decide; these routes only translate.

The movement routes are the hot path (scanners issue and return all day): they are
``async`` and run the service in a thread themselves (``api.threads``), so a request costs
one thread hop (the service; the token check runs on the event loop while its user's row
is remembered) instead of three (FastAPI validates a sync route's answer in the pool too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.lean import MovementRoute
from stock_saas.api.schemas import (
    ID_MAX,
    AddStockRequest,
    Cursor,
    GivenBarcode,
    ItemUpdate,
    MoveRequest,
    SearchText,
    StatusReport,
    TransferRequest,
)
from stock_saas.api.threads import in_thread
from stock_saas.services import catalog, stock
from stock_saas.services.stock import MAX_PAGE, StockChange, StockPage, StockSort, Transfer

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["items"], responses=ERROR_RESPONSES)

ItemId = Annotated[int, Path(ge=1, le=ID_MAX)]
OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, 1 to {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
Low = Annotated[bool | None, Query(description="true: only low levels; false: only the rest.")]
NewStock = Annotated[AddStockRequest, tenant_body(AddStockRequest)]
Movement = Annotated[MoveRequest, tenant_body(MoveRequest)]
TransferBody = Annotated[TransferRequest, tenant_body(TransferRequest)]
ItemChanges = Annotated[ItemUpdate, tenant_body(ItemUpdate)]
_MOVE = error_responses(404, 409)


@router.get("/items", responses=error_responses(409))
def list_items(
    ctx: TenantContext,
    q: Annotated[SearchText | None, Query(description="Name prefix or exact barcode.")] = None,
    department_id: OptionalId = None,
    category_id: OptionalId = None,
    low: Low = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: StockSort = StockSort.NAME,
    descending: bool = False,
    cursor: Cursor = None,
) -> StockPage:
    """One page of stock levels (one row per item and department) and the total count.

    To walk every row, pass each answer's ``next_cursor`` as ``cursor`` (same filters and
    sort, no offset) until it is null: each page costs the same at any depth."""
    return stock.list_stock(
        ctx=ctx,
        q=q,
        department_id=department_id,
        category_id=category_id,
        low=low,
        limit=limit,
        offset=offset,
        sort=sort,
        descending=descending,
        cursor=cursor,
    )


@router.post("/items/add", responses=_MOVE)
def add_stock(body: NewStock, ctx: CurrentContext) -> StockChange:
    """Add units (manager); creates the item, and the department/category it names."""
    return stock.add_stock(
        ctx=ctx,
        name=body.name,
        quantity=body.quantity,
        threshold=body.threshold,
        department=body.department,
        category=body.category,
        barcode=body.barcode,
        note=body.note,
    )


MoveService = Callable[..., StockChange]


def _movement_route(path: str, move: MoveService, description: str) -> None:
    """Register ``POST path`` for one simple movement (issue, return): the hot path, so
    ``async`` with the service in a thread (one thread hop, not three)."""

    async def movement(body: Movement, ctx: CurrentContext) -> StockChange:
        return await in_thread(
            move,
            ctx=ctx,
            item=body.item,
            quantity=body.quantity,
            department=body.department,
            note=body.note,
        )

    movement.__name__ = movement.__qualname__ = move.__name__
    router.add_api_route(
        path,
        movement,
        methods=["POST"],
        responses=_MOVE,
        description=description,
        route_class_override=MovementRoute,  # FastAPI's contract, a shortcut for the usual call
    )


_movement_route(
    "/items/issue",
    stock.issue_stock,
    "Take units out; 409 and nothing changed when fewer are on hand.",
)
_movement_route("/items/return", stock.return_stock, "Put issued units back.")


@router.post("/items/transfer", responses=_MOVE)
def transfer_stock(body: TransferBody, ctx: CurrentContext) -> Transfer:
    """Move units between two departments in one transaction (manager)."""
    return stock.transfer_stock(
        ctx=ctx,
        item=body.item,
        quantity=body.quantity,
        from_department=body.from_department,
        to_department=body.to_department,
        note=body.note,
    )


@router.get("/items/lookup", responses=error_responses(404))
def lookup_barcode(
    ctx: TenantContext, barcode: Annotated[GivenBarcode, Query()]
) -> catalog.ItemView:
    """The item with this barcode (scanner input)."""
    return catalog.lookup_barcode(ctx=ctx, barcode=barcode)


@router.get("/items/{item_id}", responses=error_responses(404))
def get_item(item_id: ItemId, ctx: TenantContext) -> catalog.ItemView:
    return catalog.get_item(ctx=ctx, item_id=item_id)


@router.patch("/items/{item_id}", responses=error_responses(404, 409))
def update_item(item_id: ItemId, body: ItemChanges, ctx: CurrentContext) -> catalog.ItemView:
    """Change name, barcode, category or notes (manager); only the fields sent change."""
    changes = body.changes()
    if "barcode" in changes:
        changes["barcode"] = changes["barcode"] or ""
    if "category" in changes:
        changes["category"] = changes["category"] or None
    return catalog.update_item(ctx=ctx, item_id=item_id, **changes)


@router.get("/status", tags=["status"])
def stock_status(
    ctx: TenantContext,
    department_id: OptionalId = None,
    low: Low = None,
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
) -> StatusReport:
    """Stock levels with their low flags, and how many are low (same filters)."""
    page = stock.list_stock(
        ctx=ctx, department_id=department_id, low=low, limit=limit, offset=offset
    )
    low_count = (
        stock.list_stock(ctx=ctx, department_id=department_id, low=True, limit=1).total
        if low is not False
        else 0
    )
    return StatusReport(items=page.items, total=page.total, low_count=low_count)
