"""Reading stock: server-side paged, filtered, sorted listings of stock levels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import col

from stock_saas.db import read_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.scoping import scoped_columns, scoped_rows

__all__ = ["MAX_PAGE", "SORTS", "StockPage", "StockRow", "list_stock", "low_stock_items"]

SORTS = ("name", "quantity", "threshold", "department", "category")
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class StockRow:
    stock_level_id: int
    item_id: int
    name: str
    barcode: str | None
    category_id: int | None
    category: str | None
    department_id: int
    department: str
    quantity: int
    threshold: int

    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


@dataclass(frozen=True, slots=True)
class StockPage:
    rows: list[StockRow]
    total: int


def list_stock(
    *,
    ctx: Context,
    q: str | None = None,
    department_id: int | None = None,
    category_id: int | None = None,
    low: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str = "name",
    descending: bool = False,
) -> StockPage:
    """One page of stock levels (two queries whatever the size: the page and its count)."""
    require_role(ctx, Role.USER)
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise ValidationFailed("offset must not be negative.")
    if sort not in SORTS:
        raise ValidationFailed(f"sort must be one of {', '.join(SORTS)}.")
    # Item rows are matched on tenant too: besides defence in depth, it lets PostgreSQL
    # walk the (tenant_id, name) index for name order instead of sorting every row.
    item_join = and_(col(Item.id) == StockLevel.item_id, col(Item.tenant_id) == ctx.tenant_id)
    conditions: list[Any] = []
    if q and q.strip():
        term = q.strip()[:120]
        pattern = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # lower(name) LIKE lower(prefix) matches the ix_items_tenant_lower_name index
        # (text_pattern_ops) on PostgreSQL; ILIKE could not use any index.
        conditions.append(
            or_(
                func.lower(col(Item.name)).like(func.lower(pattern), escape="\\"),
                col(Item.barcode) == term,
            )
        )
    if category_id is not None:
        conditions.append(col(Item.category_id) == category_id)
    needs_item = bool(conditions)
    if department_id is not None:
        conditions.append(col(StockLevel.department_id) == department_id)
    if low is True:
        conditions.append(col(StockLevel.quantity) < col(StockLevel.threshold))
    elif low is False:
        conditions.append(col(StockLevel.quantity) >= col(StockLevel.threshold))
    # The count joins only what its filters need (stock levels alone, usually).
    counting = scoped_columns(ctx, StockLevel, func.count()).select_from(StockLevel)
    if needs_item:
        counting = counting.join(Item, item_join)
    base = (
        scoped_rows(ctx, StockLevel, Item, Department, Category)
        .join(Item, item_join)
        .join(Department, col(Department.id) == StockLevel.department_id)
        .outerjoin(Category, col(Category.id) == Item.category_id)
        .where(*conditions)
    )
    order = {
        "name": col(Item.name),
        "quantity": col(StockLevel.quantity),
        "threshold": col(StockLevel.threshold),
        "department": col(Department.name),
        "category": col(Category.name),
    }[sort]
    with read_session() as session:
        total = session.execute(counting.where(*conditions)).scalar_one()
        page = session.execute(
            base.order_by(order.desc() if descending else order.asc(), col(StockLevel.id))
            .limit(limit)
            .offset(offset)
        ).all()
    rows = [
        StockRow(
            level.id,
            item.id,
            item.name,
            item.barcode,
            item.category_id,  # type: ignore[arg-type]
            category.name if category else None,
            dept.id,
            dept.name,  # type: ignore[arg-type]
            level.quantity,
            level.threshold,
        )
        for level, item, dept, category in page  # type: ignore[misc]
    ]
    return StockPage(rows, int(total))


def low_stock_items(*, ctx: Context, department_id: int | None = None) -> list[StockRow]:
    """Every stock level below its threshold."""
    return list_stock(ctx=ctx, low=True, department_id=department_id, limit=MAX_PAGE).rows
