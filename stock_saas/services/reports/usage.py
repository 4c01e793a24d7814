"""Usage of one item (in one department, or in all of them) over a window, with its
daily series: what went out, what came back, what was written off, and when it runs out.

One statement reads the window's movements grouped by UTC date and action, together with
the quantity on hand (a scalar subquery: the same snapshot), so the series' quantities
are consistent with the figures. On PostgreSQL the movements come from an index-only scan
of ``ix_audit_log_item_created``. ``quantity_end`` of a date is the quantity at the end
of that UTC date (now, for today), counted back from the quantity on hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col

from stock_saas.db import read_session
from stock_saas.errors import NotFound
from stock_saas.models import AuditLog, Department, Item, MovementAction, StockLevel
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    get_scoped,
    require_role,
    scoped_columns,
)
from stock_saas.services.reports.figures import DEFAULT_DAYS, Usage, check_days
from stock_saas.services.reports.windows import Window, as_date, utc_date

__all__ = ["ItemUsage", "UsagePoint", "item_usage"]

USAGE_ACTIONS = (MovementAction.ISSUE, MovementAction.RETURN, MovementAction.ADJUST)


class UsagePoint(View):
    """One UTC date of a usage series."""

    date: date
    issued: int
    returned: int
    quantity_end: int


class ItemUsage(View):
    """An item's usage over ``days`` days ending ``until`` (department None: all of them)."""

    item_id: int
    name: str
    department_id: int | None
    department: str | None
    days: int
    since: UtcDatetime
    until: UtcDatetime
    quantity: int
    threshold: int
    issued: int
    returned: int
    written_off: int
    net_usage: int
    daily_usage: float
    days_left: float | None
    stockout_date: date | None
    series: list[UsagePoint]


def item_usage(
    *, ctx: Context, item_id: int, days: int = DEFAULT_DAYS, department_id: int | None = None
) -> ItemUsage:
    """Usage of ``item_id`` over the last ``days`` days (anyone in the tenant).

    With ``department_id``, that stock level only (NotFound if the item is not stocked
    there); without, the item across every department (transfers cancel out, the
    quantities and thresholds add up).
    """
    require_role(ctx, Role.USER)
    days = check_days(days)
    window = Window.ending_now(days)
    with read_session() as session:
        item = get_scoped(session, ctx, Item, item_id)
        department = None
        if department_id is not None:
            department = get_scoped(session, ctx, Department, department_id)
        levels = _levels(ctx, item_id, department_id)
        totals = session.execute(
            levels.with_only_columns(
                func.count(), func.sum(StockLevel.quantity), func.sum(StockLevel.threshold)
            )
        ).one()
        if department is not None and not totals[0]:
            raise NotFound(f"{item.name!r} is not stocked in {department.name}.")
        rows = session.execute(_movements(session, ctx, item_id, department_id, window)).all()
    quantity = int(rows[0].quantity) if rows else int(totals[1] or 0)
    return _assemble(
        item_id=item_id,
        name=item.name,
        department=department,
        window=window,
        quantity=quantity,
        threshold=int(totals[2] or 0),
        rows=rows,
    )


def _levels(ctx: Context, item_id: int, department_id: int | None) -> Any:
    query = scoped_columns(ctx, StockLevel, col(StockLevel.id)).where(
        col(StockLevel.item_id) == item_id
    )
    if department_id is not None:
        query = query.where(col(StockLevel.department_id) == department_id)
    return query


def _movements(
    session: Session, ctx: Context, item_id: int, department_id: int | None, window: Window
) -> Any:
    """Per UTC date and action: the sum of deltas, split by sign (adjusts go both ways),
    and the quantity on hand now in every row."""
    on_hand = _levels(ctx, item_id, department_id).with_only_columns(
        func.coalesce(func.sum(StockLevel.quantity), 0)
    )
    day = utc_date(session, col(AuditLog.created_at)).label("day")
    negative = case((col(AuditLog.delta) < 0, 1), else_=0).label("negative")
    query = scoped_columns(
        ctx,
        AuditLog,
        day,
        col(AuditLog.action).label("action"),
        negative,
        func.sum(AuditLog.delta).label("delta"),
        on_hand.scalar_subquery().label("quantity"),
    ).where(col(AuditLog.item_id) == item_id, col(AuditLog.created_at) > window.start)
    if department_id is not None:
        query = query.where(col(AuditLog.department_id) == department_id)
    return query.group_by(day, col(AuditLog.action), negative)


def _assemble(
    *,
    item_id: int,
    name: str,
    department: Department | None,
    window: Window,
    quantity: int,
    threshold: int,
    rows: Sequence[Any],
) -> ItemUsage:
    issued: dict[date, int] = defaultdict(int)
    returned: dict[date, int] = defaultdict(int)
    moved: dict[date, int] = defaultdict(int)  # every action's deltas: quantities back
    written_off = 0
    for row in rows:
        when, delta = as_date(row.day), int(row.delta)
        moved[when] += delta
        if row.action == MovementAction.ISSUE:
            issued[when] -= delta
        elif row.action == MovementAction.RETURN:
            returned[when] += delta
        elif row.action == MovementAction.ADJUST and row.negative:
            written_off -= delta
    dates = window.dates()
    # Rows stamped after today (a clock ahead of ours) still count towards quantities.
    later = sum(delta for when, delta in moved.items() if when > dates[-1])
    series: list[UsagePoint] = []
    end = quantity - later
    for when in reversed(dates):
        series.append(
            UsagePoint(date=when, issued=issued[when], returned=returned[when], quantity_end=end)
        )
        end -= moved[when]
    series.reverse()
    usage = Usage(
        window.days,
        issued=sum(issued.values()),
        returned=sum(returned.values()),
        written_off=written_off,
    )
    return ItemUsage(
        item_id=item_id,
        name=name,
        department_id=department.id if department else None,
        department=department.name if department else None,
        days=window.days,
        since=window.start,
        until=window.now,
        quantity=quantity,
        threshold=threshold,
        issued=usage.issued,
        returned=usage.returned,
        written_off=usage.written_off,
        net_usage=usage.net_usage,
        daily_usage=usage.daily_usage,
        days_left=usage.days_left(quantity),
        stockout_date=usage.stockout_date(quantity, window.now),
        series=series,
    )
