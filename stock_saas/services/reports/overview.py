"""The dashboard's header figures: how many stock levels, how many low now, how many run
out within a week at the last 30 days' pace, movements today, and 30 days of movements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import BigInteger, cast, func
from sqlmodel import col

from stock_saas.db import read_session
from stock_saas.models import AuditLog, MovementAction, StockLevel
from stock_saas.services import catalog
from stock_saas.services.core import (
    Context,
    Role,
    UtcDatetime,
    View,
    require_role,
    scoped_columns,
)
from stock_saas.services.reports.reorder import usage_per_level
from stock_saas.services.reports.windows import Window, as_date, utc_date

__all__ = ["MovementDay", "StockOverview", "stock_overview"]

PACE_DAYS = 30  # the pace "running out" is judged by
RUNNING_OUT_DAYS = 7


class MovementDay(View):
    """Units issued and returned on one UTC date."""

    date: date
    issued: int
    returned: int


class StockOverview(View):
    """The header strip of the dashboard (one department, or all of them)."""

    stock_levels: int
    low_now: int
    running_out: int
    running_out_days: int
    movements_today: int
    series: list[MovementDay]
    as_of: UtcDatetime


def stock_overview(*, ctx: Context, department_id: int | None = None) -> StockOverview:
    """Counts for the header strip and the last 30 days of movements (anyone)."""
    require_role(ctx, Role.USER)
    window = Window.ending_now(PACE_DAYS)
    midnight = datetime.combine(window.now.date(), time(), tzinfo=UTC)
    usage = usage_per_level(ctx, window, department_id)
    net = func.coalesce(usage.c.issued, 0) - func.coalesce(usage.c.returned, 0)
    quantity = cast(col(StockLevel.quantity), BigInteger)
    running_out = (net > 0) & (quantity * PACE_DAYS <= net * RUNNING_OUT_DAYS)
    # Only levels that moved in the window can run out: join from their usage.
    levels = (
        scoped_columns(ctx, StockLevel, func.count())
        .select_from(StockLevel)
        .join(usage, usage.c.level_id == col(StockLevel.id))
        .where(running_out)
    )
    if department_id is not None:
        levels = levels.where(col(StockLevel.department_id) == department_id)
    with read_session() as session:
        out = session.execute(levels).scalar_one()
        counts, _ = catalog.department_counts(session, ctx)
        if department_id is not None:
            count, low = counts.get(department_id, (0, 0))
        else:
            count, low = (sum(c[i] for c in counts.values()) for i in (0, 1))
        day = utc_date(session, col(AuditLog.created_at)).label("day")
        moves = _scoped_moves(ctx, department_id, day).where(
            col(AuditLog.created_at) > window.start
        )
        today = _scoped_moves(ctx, department_id, func.count()).where(
            col(AuditLog.created_at) >= midnight,
            col(AuditLog.action) != MovementAction.THRESHOLD.value,
        )
        per_day = session.execute(
            moves.add_columns(col(AuditLog.action), func.sum(AuditLog.delta))
            .where(
                col(AuditLog.action).in_((MovementAction.ISSUE.value, MovementAction.RETURN.value))
            )
            .group_by(day, col(AuditLog.action))
        ).all()
        movements_today = session.execute(today).scalar_one()
    return StockOverview(
        stock_levels=int(count),
        low_now=int(low),
        running_out=int(out),
        running_out_days=RUNNING_OUT_DAYS,
        movements_today=int(movements_today),
        series=_series(window, per_day),
        as_of=window.now,
    )


def _scoped_moves(ctx: Context, department_id: int | None, column: Any) -> Any:
    query = scoped_columns(ctx, AuditLog, column)
    if department_id is not None:
        in_department = scoped_columns(ctx, StockLevel, col(StockLevel.id)).where(
            col(StockLevel.department_id) == department_id
        )
        query = query.where(col(AuditLog.stock_level_id).in_(in_department))
    return query


def _series(window: Window, rows: Sequence[Any]) -> list[MovementDay]:
    issued: dict[date, int] = defaultdict(int)
    returned: dict[date, int] = defaultdict(int)
    for when, action, total in rows:
        if action == MovementAction.ISSUE:
            issued[as_date(when)] -= int(total)
        else:
            returned[as_date(when)] += int(total)
    return [MovementDay(date=d, issued=issued[d], returned=returned[d]) for d in window.dates()]
