"""Starting, reading, listing and cancelling counts.

A manager starts a count of one department; it lists every stock level the department
has at that moment (items found during the count join it when scanned). At most one
count per department is open at a time, so two people counting the same shelves work on
the same lines instead of two competing counts.
"""

from __future__ import annotations

from sqlalchemy import func, literal
from sqlalchemy import insert as sa_insert
from sqlmodel import Session, col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict
from stock_saas.models import CountLine, CountStatus, Department, Item, StockCount, StockLevel
from stock_saas.services.catalog import DepartmentRef, resolve_department
from stock_saas.services.core import (
    Context,
    Role,
    check_page,
    clean_optional,
    find_scoped,
    get_scoped,
    require_role,
    scoped,
    scoped_columns,
    utcnow,
)
from stock_saas.services.counts.views import CountPage, CountView, count_view, line_rows

__all__ = [
    "MAX_PAGE",
    "cancel_count",
    "get_count",
    "line_position",
    "list_counts",
    "open_count",
    "start_count",
]

MAX_PAGE = 500


def open_count(session: Session, ctx: Context, count_id: int) -> StockCount:
    """The caller's count ``count_id``, locked, if it is still open (else Conflict)."""
    count = get_scoped(session, ctx, StockCount, count_id, lock=True)
    if count.status != CountStatus.OPEN:
        when = f" at {count.finished_at:%Y-%m-%d %H:%M} UTC" if count.finished_at else ""
        by = f" by {count.finished_by}" if count.finished_by else ""
        raise Conflict(f"Count #{count.id} was already {count.status}{by}{when}.")
    return count


def start_count(
    *, ctx: Context, department: DepartmentRef, blind: bool = False, note: str = ""
) -> CountView:
    """Open a count of ``department`` listing its stock levels (manager). ``blind`` hides
    the expected quantities from everyone until the count is submitted."""
    require_role(ctx, Role.MANAGER)
    text = clean_optional(note, "note", max_length=500) or ""
    with write_session() as session:
        dept = resolve_department(session, ctx, department)
        # Serialise starts per department (SQLite already serialises writers).
        session.exec(scoped(ctx, Department).where(col(Department.id) == dept.id).with_for_update())
        running = find_scoped(
            session, ctx, StockCount, department_id=dept.id, status=CountStatus.OPEN.value
        )
        if running is not None:
            raise Conflict(
                f"{dept.name} already has an open count (#{running.id}, started by "
                f"{running.started_by}); continue it or cancel it first."
            )
        count = StockCount(
            tenant_id=ctx.tenant_id,
            department_id=dept.id,  # type: ignore[arg-type]
            blind=bool(blind),
            note=text,
            started_by=ctx.actor_name[:120],
            started_at=utcnow(),
        )
        session.add(count)
        session.flush()
        levels = scoped_columns(
            ctx, StockLevel, col(StockLevel.tenant_id), literal(count.id), col(StockLevel.item_id)
        ).where(col(StockLevel.department_id) == dept.id)
        session.execute(
            sa_insert(CountLine).from_select(["tenant_id", "count_id", "item_id"], levels)
        )
        return count_view(session, ctx, count)


def get_count(
    *, ctx: Context, count_id: int, q: str | None = None, limit: int = 100, offset: int = 0
) -> CountPage:
    """A count and one page of its lines, optionally those whose item name starts with
    ``q`` or whose barcode is ``q`` (anyone in the tenant)."""
    require_role(ctx, Role.USER)
    check_page(limit, offset, maximum=MAX_PAGE)
    conditions = []
    if q and q.strip():
        term = q.strip()[:120]
        pattern = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            func.lower(col(Item.name)).like(func.lower(pattern), escape="\\")
            | (col(Item.barcode) == term)
        )
    with read_session() as session:
        count = get_scoped(session, ctx, StockCount, count_id)
        total = session.execute(
            scoped_columns(ctx, CountLine, func.count())
            .select_from(CountLine)
            .join(Item, col(Item.id) == col(CountLine.item_id))
            .where(col(CountLine.count_id) == count.id, *conditions)
        ).scalar_one()
        return CountPage(
            count=count_view(session, ctx, count),
            lines=line_rows(session, ctx, count, *conditions, limit=limit, offset=offset),
            total=int(total),
        )


def line_position(*, ctx: Context, count_id: int, item_id: int) -> int:
    """Where the line of ``item_id`` stands in the count's name order (0-based), so a page
    can show the row a scan just counted."""
    require_role(ctx, Role.USER)
    with read_session() as session:
        count = get_scoped(session, ctx, StockCount, count_id)
        item = get_scoped(session, ctx, Item, item_id)
        before = session.execute(
            scoped_columns(ctx, CountLine, func.count())
            .select_from(CountLine)
            .join(Item, col(Item.id) == col(CountLine.item_id))
            .where(
                col(CountLine.count_id) == count.id,
                (col(Item.name) < item.name)
                | ((col(Item.name) == item.name) & (col(Item.id) < item.id)),
            )
        ).scalar_one()
        return int(before)


def list_counts(
    *,
    ctx: Context,
    status: CountStatus | None = None,
    department_id: int | None = None,
    limit: int = 50,
) -> list[CountView]:
    """The tenant's counts, newest first (anyone in the tenant)."""
    require_role(ctx, Role.USER)
    check_page(limit, 0, maximum=MAX_PAGE)
    query = scoped(ctx, StockCount)
    if status is not None:
        query = query.where(col(StockCount.status) == CountStatus(status).value)
    if department_id is not None:
        query = query.where(col(StockCount.department_id) == department_id)
    with read_session() as session:
        counts = session.exec(query.order_by(col(StockCount.id).desc()).limit(limit)).all()
        return [count_view(session, ctx, c) for c in counts]


def cancel_count(*, ctx: Context, count_id: int) -> CountView:
    """Close an open count without changing any stock (manager)."""
    require_role(ctx, Role.MANAGER)
    with write_session() as session:
        count = open_count(session, ctx, count_id)
        count.status = CountStatus.CANCELLED.value
        count.finished_by, count.finished_at = ctx.actor_name[:120], utcnow()
        session.add(count)
        session.flush()
        return count_view(session, ctx, count)
