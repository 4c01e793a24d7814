"""What the counts domain hands out, and the one query that reads a count's lines."""

from __future__ import annotations

from typing import Any

from pydantic import computed_field
from sqlalchemy import and_, case, func
from sqlmodel import Session, col

from stock_saas.models import (
    Category,
    CountLine,
    CountStatus,
    Department,
    Item,
    StockCount,
    StockLevel,
)
from stock_saas.services.core import Context, UtcDatetime, View, scoped_columns, scoped_rows

__all__ = ["CountLineView", "CountPage", "CountSummary", "CountView", "count_view", "line_rows"]


class CountSummary(View):
    """How a count compares with the books. The short/over figures are None while a blind
    count is open (they would give the expected quantities away)."""

    lines: int
    counted: int
    uncounted: int
    matched: int | None
    rows_short: int | None
    rows_over: int | None
    units_short: int | None
    units_over: int | None


class CountView(View):
    id: int
    department_id: int
    department: str
    status: CountStatus
    blind: bool
    note: str
    started_by: str
    started_at: UtcDatetime
    finished_by: str | None
    finished_at: UtcDatetime | None
    summary: CountSummary


class CountLineView(View):
    """One item of a count. ``expected`` is the quantity the books held when the line was
    counted (or hold now, if it is not counted yet); None while a blind count is open."""

    id: int
    item_id: int
    name: str
    barcode: str | None
    category: str | None
    counted: int | None
    expected: int | None
    counted_by: str | None
    counted_at: UtcDatetime | None
    applied: int | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def variance(self) -> int | None:
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected


class CountPage(View):
    """A count with one page of its lines (in item name order) and how many match."""

    count: CountView
    lines: list[CountLineView]
    total: int


def hides_expected(count: StockCount) -> bool:
    return count.blind and count.status == CountStatus.OPEN


def _summary(session: Session, ctx: Context, count: StockCount) -> CountSummary:
    counted = col(CountLine.counted)
    expected = col(CountLine.expected)
    short = and_(counted.is_not(None), counted < expected)
    over = and_(counted.is_not(None), counted > expected)
    row = session.execute(
        scoped_columns(
            ctx,
            CountLine,
            func.count(),
            func.count(counted),
            func.count(case((and_(counted.is_not(None), counted == expected), 1))),
            func.count(case((short, 1))),
            func.count(case((over, 1))),
            func.coalesce(func.sum(case((short, expected - counted), else_=0)), 0),
            func.coalesce(func.sum(case((over, counted - expected), else_=0)), 0),
        ).where(col(CountLine.count_id) == count.id)
    ).one()
    lines, done = int(row[0]), int(row[1])
    hidden = hides_expected(count)
    figures: list[int | None] = [None] * 5 if hidden else [int(v) for v in row[2:]]
    return CountSummary(
        lines=lines,
        counted=done,
        uncounted=lines - done,
        matched=figures[0],
        rows_short=figures[1],
        rows_over=figures[2],
        units_short=figures[3],
        units_over=figures[4],
    )


def count_view(session: Session, ctx: Context, count: StockCount) -> CountView:
    department = session.get(Department, count.department_id)
    return CountView(
        id=count.id,
        department_id=count.department_id,
        department=department.name if department else "",
        status=CountStatus(count.status),
        blind=count.blind,
        note=count.note,
        started_by=count.started_by,
        started_at=count.started_at,
        finished_by=count.finished_by,
        finished_at=count.finished_at,
        summary=_summary(session, ctx, count),
    )


def line_rows(
    session: Session,
    ctx: Context,
    count: StockCount,
    *conditions: Any,
    limit: int | None = None,
    offset: int = 0,
) -> list[CountLineView]:
    """The count's lines matching ``conditions`` (item name order) with what the books hold."""
    on_hand = col(StockLevel.quantity)
    query = (
        scoped_rows(ctx, CountLine, Item, col(Category.name), on_hand)
        .join(Item, col(Item.id) == col(CountLine.item_id))
        .outerjoin(Category, col(Category.id) == col(Item.category_id))
        .outerjoin(
            StockLevel,
            and_(
                col(StockLevel.item_id) == col(CountLine.item_id),
                col(StockLevel.department_id) == count.department_id,
            ),
        )
        .where(col(CountLine.count_id) == count.id, *conditions)
        .order_by(col(Item.name), col(CountLine.id))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    hidden = hides_expected(count)
    views = []
    for line, item, category, quantity in rows:
        expected = line.expected if line.counted is not None else (quantity or 0)
        views.append(
            CountLineView(
                id=line.id,
                item_id=item.id,
                name=item.name,
                barcode=item.barcode,
                category=category,
                counted=line.counted,
                expected=None if hidden else expected,
                counted_by=line.counted_by,
                counted_at=line.counted_at,
                applied=line.applied,
            )
        )
    return views
