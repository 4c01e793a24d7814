"""Reading stock: server-side paged, filtered, sorted listings of stock levels."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import computed_field
from sqlalchemy import and_, func, or_
from sqlmodel import col

from stock_saas.db import read_session
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.services.core import (
    Context,
    Role,
    View,
    check_page,
    require_role,
    scoped_columns,
    scoped_rows,
)

__all__ = ["MAX_PAGE", "StockPage", "StockRow", "StockSort", "list_stock", "low_stock_items"]

MAX_PAGE = 500


class StockSort(StrEnum):
    """The orders a stock listing offers."""

    NAME = "name"
    QUANTITY = "quantity"
    THRESHOLD = "threshold"
    DEPARTMENT = "department"
    CATEGORY = "category"


class StockRow(View):
    """One stock level: an item in a department."""

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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


class StockPage(View):
    items: list[StockRow]
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
    sort: StockSort = StockSort.NAME,
    descending: bool = False,
) -> StockPage:
    """One page of stock levels (two queries whatever the size: the page and its count)."""
    require_role(ctx, Role.USER)
    check_page(limit, offset, maximum=MAX_PAGE)
    sort = StockSort(sort)
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
        StockSort.NAME: col(Item.name),
        StockSort.QUANTITY: col(StockLevel.quantity),
        StockSort.THRESHOLD: col(StockLevel.threshold),
        StockSort.DEPARTMENT: col(Department.name),
        StockSort.CATEGORY: col(Category.name),
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
            stock_level_id=level.id,
            item_id=item.id,
            name=item.name,
            barcode=item.barcode,
            category_id=item.category_id,
            category=category.name if category else None,
            department_id=dept.id,
            department=dept.name,
            quantity=level.quantity,
            threshold=level.threshold,
        )
        for level, item, dept, category in page  # type: ignore[misc]
    ]
    return StockPage(items=rows, total=int(total))


def low_stock_items(*, ctx: Context, department_id: int | None = None) -> list[StockRow]:
    """Every stock level below its threshold."""
    return list_stock(ctx=ctx, low=True, department_id=department_id, limit=MAX_PAGE).items
