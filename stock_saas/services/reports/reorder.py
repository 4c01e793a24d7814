"""The reorder list: every stock level that is low, or will be within ``cover_days`` at
the pace of the last ``days`` days, soonest stock-out first, with how much to order.

One statement: the window's issues and returns summed per stock level (on PostgreSQL an
index-only scan of ``ix_audit_log_tenant_created``, which carries stock_level_id, action
and delta), joined to the levels, filtered, ordered, counted and paged by the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TextIO

from sqlalchemy import BigInteger, Float, and_, case, cast, func, or_
from sqlmodel import col

from stock_saas.db import read_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import AuditLog, Department, Item, MovementAction, StockLevel
from stock_saas.services import audit
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    check_page,
    require_role,
    scoped_columns,
)
from stock_saas.services.reports.figures import (
    DEFAULT_COVER_DAYS,
    DEFAULT_DAYS,
    MAX_COVER_DAYS,
    Usage,
    check_cover_days,
    check_days,
)
from stock_saas.services.reports.windows import Window

__all__ = [
    "CSV_HEADER",
    "MAX_ROWS",
    "ReorderReport",
    "ReorderRow",
    "reorder_list",
    "usage_per_level",
    "write_reorder_csv",
]

MAX_ROWS = 5000


class ReorderRow(View):
    """One stock level to reorder."""

    stock_level_id: int
    item_id: int
    name: str
    department_id: int
    department: str
    quantity: int
    threshold: int
    low: bool
    issued: int
    returned: int
    daily_usage: float
    days_left: float | None
    stockout_date: date | None
    suggested_order: int


class ReorderReport(View):
    """A page of the reorder list (``total`` rows in all) and the figures it used."""

    days: int
    cover_days: int
    since: UtcDatetime
    until: UtcDatetime
    total: int
    rows: list[ReorderRow]


def usage_per_level(ctx: Context, window: Window, department_id: int | None) -> Any:
    issued = func.sum(
        case((col(AuditLog.action) == MovementAction.ISSUE.value, -col(AuditLog.delta)), else_=0)
    )
    returned = func.sum(
        case((col(AuditLog.action) == MovementAction.RETURN.value, col(AuditLog.delta)), else_=0)
    )
    query = scoped_columns(
        ctx,
        AuditLog,
        col(AuditLog.stock_level_id).label("level_id"),
        issued.label("issued"),
        returned.label("returned"),
    ).where(
        col(AuditLog.created_at) > window.start,
        col(AuditLog.action).in_((MovementAction.ISSUE.value, MovementAction.RETURN.value)),
    )
    if department_id is not None:
        in_department = scoped_columns(ctx, StockLevel, col(StockLevel.id)).where(
            col(StockLevel.department_id) == department_id
        )
        query = query.where(col(AuditLog.stock_level_id).in_(in_department))
    return query.group_by(col(AuditLog.stock_level_id)).subquery("usage")


def _select(
    ctx: Context,
    window: Window,
    cover_days: int,
    department_id: int | None,
    running_out_days: int | None = None,
) -> Any:
    days = window.days
    usage = usage_per_level(ctx, window, department_id)
    issued = func.coalesce(usage.c.issued, 0)
    returned = func.coalesce(usage.c.returned, 0)
    net = issued - returned
    quantity = cast(col(StockLevel.quantity), BigInteger)
    threshold = cast(col(StockLevel.threshold), BigInteger)
    days_left = case((net > 0, cast(quantity, Float) * days / net), else_=None)
    query = (
        scoped_columns(
            ctx,
            StockLevel,
            col(StockLevel.id),
            col(StockLevel.item_id),
            col(Item.name),
            col(StockLevel.department_id),
            col(Department.name),
            col(StockLevel.quantity),
            col(StockLevel.threshold),
            issued,
            returned,
            func.count().over().label("total"),
        )
        .join(
            Item,
            and_(col(Item.id) == col(StockLevel.item_id), col(Item.tenant_id) == ctx.tenant_id),
        )
        .join(Department, col(Department.id) == col(StockLevel.department_id))
        .outerjoin(usage, usage.c.level_id == col(StockLevel.id))
        .where(or_(quantity < threshold, (quantity - threshold) * days < net * cover_days))
    )
    if department_id is not None:
        query = query.where(col(StockLevel.department_id) == department_id)
    if running_out_days is not None:  # the dashboard's "running out within N days"
        query = query.where(net > 0, quantity * days <= net * running_out_days)
    return query.order_by(
        days_left.asc().nulls_last(),
        (quantity - threshold).asc(),
        col(Item.name),
        col(Department.name),
    )


def _checked(days: int, cover_days: int) -> tuple[int, int]:
    return check_days(days), check_cover_days(cover_days)


def _check_running_out(running_out_days: int | None) -> None:
    if running_out_days is not None and not 1 <= running_out_days <= MAX_COVER_DAYS:
        raise ValidationFailed(f"running_out_days must be from 1 to {MAX_COVER_DAYS}.")


def reorder_list(
    *,
    ctx: Context,
    days: int = DEFAULT_DAYS,
    cover_days: int = DEFAULT_COVER_DAYS,
    department_id: int | None = None,
    limit: int = 1000,
    offset: int = 0,
    running_out_days: int | None = None,
) -> ReorderReport:
    """What to reorder and how much (managers and admins); one page of it.

    ``running_out_days`` keeps only the levels that run out (reach zero) within that many
    days at this pace: the dashboard's "running out" figure as a list.
    """
    require_role(ctx, Role.MANAGER)
    days, cover_days = _checked(days, cover_days)
    _check_running_out(running_out_days)
    check_page(limit, offset, maximum=MAX_ROWS)
    window = Window.ending_now(days)
    query = _select(ctx, window, cover_days, department_id, running_out_days)
    with read_session() as session:
        rows = session.execute(query.limit(limit).offset(offset)).all()
        if rows:
            total = int(rows[0].total)
        else:  # past the end (or nothing at all): count without the page
            total = len(session.execute(query.with_only_columns(col(StockLevel.id))).all())
    return ReorderReport(
        days=days,
        cover_days=cover_days,
        since=window.start,
        until=window.now,
        total=total,
        rows=[_row(row, days, cover_days, window) for row in rows],
    )


def _row(row: Any, days: int, cover_days: int, window: Window) -> ReorderRow:
    level_id, item_id, name, department_id, department, quantity, threshold = row[:7]
    usage = Usage(days, issued=int(row[7]), returned=int(row[8]))
    return ReorderRow(
        stock_level_id=level_id,
        item_id=item_id,
        name=name,
        department_id=department_id,
        department=department,
        quantity=quantity,
        threshold=threshold,
        low=quantity < threshold,
        issued=usage.issued,
        returned=usage.returned,
        daily_usage=usage.daily_usage,
        days_left=usage.days_left(quantity),
        stockout_date=usage.stockout_date(quantity, window.now),
        suggested_order=usage.suggested_order(quantity, threshold, cover_days),
    )


CSV_HEADER = (
    "item",
    "department",
    "quantity",
    "threshold",
    "daily_usage",
    "days_left",
    "stockout_date",
    "suggested_order",
)


def write_reorder_csv(
    *,
    ctx: Context,
    out: TextIO,
    days: int = DEFAULT_DAYS,
    cover_days: int = DEFAULT_COVER_DAYS,
    department_id: int | None = None,
    running_out_days: int | None = None,
) -> int:
    """The whole reorder list as CSV into ``out``, from one statement (text cells
    neutralised for spreadsheets); returns the number of rows written."""
    require_role(ctx, Role.MANAGER)
    days, cover_days = _checked(days, cover_days)
    _check_running_out(running_out_days)
    window = Window.ending_now(days)
    writer = audit.NeutralisingWriter(out)
    writer.writerow(CSV_HEADER)
    written = 0
    with read_session() as session:
        result = session.execute(_select(ctx, window, cover_days, department_id, running_out_days))
        for row in result:
            r = _row(row, days, cover_days, window)
            writer.writerow(
                (
                    r.name,
                    r.department,
                    r.quantity,
                    r.threshold,
                    r.daily_usage,
                    "" if r.days_left is None else r.days_left,
                    "" if r.stockout_date is None else r.stockout_date.isoformat(),
                    r.suggested_order,
                )
            )
            written += 1
    return written
