"""Submitting a count: every variance applied as one ``adjust``/``counted``, in one
transaction; and the variance report as CSV.

Each counted line's variance is ``counted - expected``, where ``expected`` is what the
books held when the line was counted; the adjust applies that difference to the level
as it is now. So a unit issued after its shelf was counted is not written off a second
time, and the books end at "what was counted, plus what moved since". If a level no
longer holds enough units for its (negative) variance, nothing is applied and the error
names the line to recount.
"""

from __future__ import annotations

from typing import TextIO

from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, InsufficientStock
from stock_saas.models import AdjustReason, CountLine, CountStatus, Item, StockCount
from stock_saas.services import audit, stock
from stock_saas.services.core import (
    Context,
    Role,
    get_scoped,
    require_role,
    scoped,
    scoped_update,
    utcnow,
)
from stock_saas.services.counts.sessions import open_count
from stock_saas.services.counts.views import CountView, count_view, hides_expected, line_rows

__all__ = ["VARIANCE_HEADER", "submit_count", "write_variance_csv"]

VARIANCE_HEADER = (
    "item_id", "item", "barcode", "category", "expected", "counted", "variance", "applied",
    "counted_by", "counted_at",
)  # fmt: skip


def submit_count(*, ctx: Context, count_id: int) -> CountView:
    """Apply every counted line's variance as an ``adjust`` with reason ``counted`` and
    close the count, all in one transaction (manager). A second submit is a Conflict."""
    require_role(ctx, Role.MANAGER)
    with write_session() as session:
        count = open_count(session, ctx, count_id)
        lines = session.exec(
            scoped(ctx, CountLine)
            .where(col(CountLine.count_id) == count.id, col(CountLine.counted).is_not(None))
            .order_by(col(CountLine.item_id))
        ).all()
        for line in lines:
            assert line.counted is not None
            variance = line.counted - (line.expected or 0)
            applied, audit_id = 0, None
            if variance:
                try:
                    change = stock.apply_adjustment(
                        session,
                        ctx,
                        item_id=line.item_id,
                        department_id=count.department_id,
                        delta=variance,
                        reason=AdjustReason.COUNTED,
                        note=f"count #{count.id}: counted {line.counted}, expected {line.expected}",
                    )
                except InsufficientStock as exc:
                    item = get_scoped(session, ctx, Item, line.item_id)
                    raise Conflict(
                        f"{item.name}: counted {line.counted} where {line.expected} were "
                        f"expected, but only {exc.available} are on hand now; recount it and "
                        "submit again. Nothing was applied."
                    ) from None
                applied, audit_id = change.delta, change.audit_id
            session.execute(
                scoped_update(ctx, CountLine)
                .where(col(CountLine.id) == line.id)
                .values(applied=applied, audit_id=audit_id)
            )
        count.status = CountStatus.SUBMITTED.value
        count.finished_by, count.finished_at = ctx.actor_name[:120], utcnow()
        session.add(count)
        session.flush()
        return count_view(session, ctx, count)


def write_variance_csv(*, ctx: Context, count_id: int, out: TextIO) -> int:
    """The count's lines as neutralised CSV (expected and variance left empty while a blind
    count is open); returns the rows written (anyone in the tenant)."""
    require_role(ctx, Role.USER)
    writer = audit.NeutralisingWriter(out)
    writer.writerow(VARIANCE_HEADER)
    with read_session() as session:
        count: StockCount = get_scoped(session, ctx, StockCount, count_id)
        hidden = hides_expected(count)
        rows = line_rows(session, ctx, count)
    for line in rows:
        writer.writerow(
            (
                line.item_id, line.name, line.barcode or "", line.category or "",
                "" if hidden else line.expected, "" if line.counted is None else line.counted,
                "" if line.variance is None else line.variance,
                "" if line.applied is None else line.applied, line.counted_by or "",
                line.counted_at.isoformat() if line.counted_at else "",
            )
        )  # fmt: skip
    return len(rows)
