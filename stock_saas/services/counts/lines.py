"""Recording what people count: a typed quantity, or one more per scan, like a handheld.

Every write to a line also records what the books held for that item at that moment
(``expected``); the variance submitted later is ``counted - expected``, so issues,
returns or transfers that happen while the department is being counted are neither lost
nor counted twice. Increments are one guarded UPDATE, so two people scanning the same
item at once both count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Conflict, NotFound, ValidationFailed
from stock_saas.models import BARCODE_MAX, CountLine, Item, StockCount, StockLevel
from stock_saas.services.core import (
    MAX_QUANTITY,
    Context,
    Role,
    clean_name,
    find_scoped,
    get_scoped,
    insert_ignoring_duplicates,
    non_negative,
    require_role,
    scoped_columns,
    scoped_update,
    utcnow,
)
from stock_saas.services.counts.sessions import open_count
from stock_saas.services.counts.views import CountLineView, line_rows

__all__ = ["MAX_ENTRIES", "LineEntry", "record_counts"]

MAX_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class LineEntry:
    """One counted row: the item (``item_id`` or ``barcode``) and either the quantity on
    the shelf (``counted``) or units to add to what was counted so far (``add``; a scan
    adds 1, -1 takes a scan back)."""

    item_id: int | None = None
    barcode: str | None = None
    counted: int | None = None
    add: int | None = None


def record_counts(*, ctx: Context, count_id: int, entries: list[LineEntry]) -> list[CountLineView]:
    """Record ``entries`` on an open count, all or nothing; returns the lines they touched
    (anyone in the tenant may count; starting and submitting are for managers)."""
    require_role(ctx, Role.USER)
    if not entries:
        raise ValidationFailed("Send at least one line.")
    if len(entries) > MAX_ENTRIES:
        raise ValidationFailed(f"At most {MAX_ENTRIES} lines per request.")
    with write_session() as session:
        count = open_count(session, ctx, count_id)
        touched: list[int] = []
        for entry in entries:
            touched.append(_record(session, ctx, count, entry))
        session.flush()
        return line_rows(session, ctx, count, col(CountLine.item_id).in_(touched))


def _item_of(session: Session, ctx: Context, entry: LineEntry) -> Item:
    if (entry.item_id is None) == (entry.barcode is None):
        raise ValidationFailed("Each line needs exactly one of item_id and barcode.")
    if entry.item_id is not None:
        return get_scoped(session, ctx, Item, entry.item_id)
    code = clean_name(entry.barcode, "barcode", max_length=BARCODE_MAX)
    item = find_scoped(session, ctx, Item, barcode=code)
    if item is None:
        raise NotFound(f"No item with barcode {code!r}.")
    return item


def _record(session: Session, ctx: Context, count: StockCount, entry: LineEntry) -> int:
    item = _item_of(session, ctx, entry)
    if (entry.counted is None) == (entry.add is None):
        raise ValidationFailed(f"{item.name}: give exactly one of counted and add.")
    insert_ignoring_duplicates(
        session, CountLine, tenant_id=ctx.tenant_id, count_id=count.id, item_id=item.id
    )
    on_hand = session.execute(
        scoped_columns(ctx, StockLevel, col(StockLevel.quantity)).where(
            col(StockLevel.item_id) == item.id,
            col(StockLevel.department_id) == count.department_id,
        )
    ).scalar()
    line = (
        scoped_update(ctx, CountLine)
        .where(col(CountLine.count_id) == count.id, col(CountLine.item_id) == item.id)
        .values(expected=on_hand or 0, counted_by=ctx.actor_name[:120], counted_at=utcnow())
    )
    if entry.counted is not None:
        line = line.values(counted=non_negative(entry.counted, f"{item.name}: counted"))
    else:
        add = entry.add
        if isinstance(add, bool) or not isinstance(add, int) or add == 0:
            raise ValidationFailed(f"{item.name}: add must be a whole number other than 0.")
        so_far = func.coalesce(col(CountLine.counted), 0)
        line = line.where(so_far + add >= 0, so_far + add <= MAX_QUANTITY).values(
            counted=so_far + add
        )
    if session.execute(line).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"{item.name}: the count cannot go below 0.")  # what was counted so far
    assert item.id is not None
    return item.id
