"""Reading stock: server-side paged, filtered, sorted listings of stock levels."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import computed_field
from sqlalchemy import and_, func, union
from sqlmodel import col

from stock_saas.db import get_engine, read_session
from stock_saas.errors import Conflict
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.services.catalog import department_counts
from stock_saas.services.core import (
    Context,
    Role,
    View,
    after_position,
    check_page,
    read_cursor,
    require_role,
    scoped_columns,
    scoped_rows,
    write_cursor,
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
    next_cursor: str | None = None  # the next page's cursor; None on the last page


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
    cursor: str | None = None,
) -> StockPage:
    """One page of stock levels (two queries whatever the size: the page and its count; a
    count filtered by department or low flag alone is read from the per-department counts).

    ``cursor`` (a previous page's ``next_cursor``, same filters and sort) starts the page
    after that page's last row: a keyset read that costs the same at any depth and never
    skips or repeats a row when rows come and go in between."""
    require_role(ctx, Role.USER)
    check_page(limit, offset, maximum=MAX_PAGE)
    if cursor and offset:
        raise Conflict("Give either cursor or offset, not both.")  # two fields: 409
    sort = StockSort(sort)
    term = q.strip()[:120] if q and q.strip() else None
    # Item rows are matched on tenant too: besides defence in depth, it lets PostgreSQL
    # walk the (tenant_id, name) index for name order instead of sorting every row.
    item_join = and_(col(Item.id) == StockLevel.item_id, col(Item.tenant_id) == ctx.tenant_id)
    conditions: list[Any] = []
    if term:
        conditions.append(col(StockLevel.item_id).in_(_matching_items(ctx, term)))
    if category_id is not None:
        conditions.append(col(Item.category_id) == category_id)
    needs_item = category_id is not None
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
    binding = {
        "q": term,
        "department_id": department_id,
        "category_id": category_id,
        "low": low,
        "sort": sort.value,
        "descending": descending,
    }
    # A search sorts its few matches instead of walking every item in name order
    # (the planners assume matches are spread evenly; a prefix's are all in one place).
    first_key = _SORT_KEYS[sort] if not (term and sort == StockSort.NAME) else _NAME_UNINDEXED
    keys = [first_key, col(StockLevel.id)]
    ordered = [k.desc() if descending else k.asc() for k in keys]
    paging = list(conditions)
    if cursor:
        position = read_cursor(ctx, cursor, listing="stock", binding=binding, size=2)
        paging.append(after_position(keys, position, descending=descending))
    # The page's ids first, joining only what the filters and the sort key need (by
    # quantity: stock levels alone, a narrow top-N), then the 50 rows' names.
    page_ids = scoped_columns(ctx, StockLevel, col(StockLevel.id)).select_from(StockLevel)
    if needs_item or sort in (StockSort.NAME, StockSort.CATEGORY):
        page_ids = page_ids.join(Item, item_join)
    if sort == StockSort.DEPARTMENT:
        page_ids = page_ids.join(Department, col(Department.id) == StockLevel.department_id)
    if sort == StockSort.CATEGORY:
        page_ids = page_ids.outerjoin(Category, col(Category.id) == Item.category_id)
    page_ids = page_ids.where(*paging).order_by(*ordered).limit(limit + 1).offset(offset)
    rows_of_page = (
        scoped_rows(ctx, StockLevel, Item, Department, Category)
        .join(Item, item_join)
        .join(Department, col(Department.id) == StockLevel.department_id)
        .outerjoin(Category, col(Category.id) == Item.category_id)
        .where(col(StockLevel.id).in_(page_ids))
        .order_by(*ordered)
    )
    with read_session() as session:
        if term is None and category_id is None:
            total = _counted(session, ctx, department_id, low)
        else:
            total = session.execute(counting.where(*conditions)).scalar_one()
        page = session.execute(rows_of_page).all()
    rows = [_row(*line) for line in page[:limit]]  # type: ignore[misc]
    next_cursor = None
    if len(page) > limit:
        last = rows[-1]
        position = [_SORT_VALUES[sort](last), last.stock_level_id]
        next_cursor = write_cursor(ctx, listing="stock", binding=binding, position=position)
    return StockPage(items=rows, total=int(total), next_cursor=next_cursor)


def _counted(session: Any, ctx: Context, department_id: int | None, low: bool | None) -> int:
    """The count when only the department and the low flag filter the levels: from the
    per-department counts the triggers keep (``catalog.department_counts``, exact at every
    commit; the sidebar shows the same), a few rows instead of every level."""
    counts, _ = department_counts(session, ctx)
    chosen = list(counts.values()) if department_id is None else [counts.get(department_id)]
    levels = sum(c[0] for c in chosen if c)
    lows = sum(c[1] for c in chosen if c)
    return lows if low is True else levels - lows if low is False else levels


def _matching_items(ctx: Context, term: str) -> Any:
    """Ids of the tenant's items whose name starts with ``term`` (any case) or whose
    barcode is ``term``: each side answered by an index (a UNION, not an OR, which made
    SQLite read every item)."""
    pattern = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    lowered = func.lower(col(Item.name))
    # lower(name) LIKE lower(prefix) matches ix_items_tenant_lower_name (text_pattern_ops)
    # on PostgreSQL; SQLite's LIKE uses no index, so the same prefix is also given as a
    # range over its (tenant_id, lower(name)) index: the range holds every match (in
    # SQLite's binary order; PostgreSQL's collation may order differently, so not there).
    by_name = scoped_columns(ctx, Item, col(Item.id)).where(
        lowered.like(func.lower(pattern), escape="\\")
    )
    if get_engine().dialect.name == "sqlite":
        by_name = by_name.where(
            lowered >= func.lower(term), lowered < func.lower(term) + _LAST_CHARACTER
        )
    by_barcode = scoped_columns(ctx, Item, col(Item.id)).where(col(Item.barcode) == term)
    return union(by_name, by_barcode)


# Category sorts as "" when missing: one order (and one keyset) on SQLite and PostgreSQL,
# whose NULLs would otherwise sort at opposite ends.
_SORT_KEYS: dict[StockSort, Any] = {
    StockSort.NAME: col(Item.name),
    StockSort.QUANTITY: col(StockLevel.quantity),
    StockSort.THRESHOLD: col(StockLevel.threshold),
    StockSort.DEPARTMENT: col(Department.name),
    StockSort.CATEGORY: func.coalesce(col(Category.name), ""),
}
_NAME_UNINDEXED = col(Item.name).concat("")
_LAST_CHARACTER = chr(0x10FFFF)
_SORT_VALUES: dict[StockSort, Callable[[StockRow], str | int]] = {
    StockSort.NAME: lambda row: row.name,
    StockSort.QUANTITY: lambda row: row.quantity,
    StockSort.THRESHOLD: lambda row: row.threshold,
    StockSort.DEPARTMENT: lambda row: row.department,
    StockSort.CATEGORY: lambda row: row.category or "",
}


def _row(level: StockLevel, item: Item, dept: Department, category: Category | None) -> StockRow:
    return StockRow(
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


def low_stock_items(*, ctx: Context, department_id: int | None = None) -> list[StockRow]:
    """Every stock level below its threshold."""
    return list_stock(ctx=ctx, low=True, department_id=department_id, limit=MAX_PAGE).items
