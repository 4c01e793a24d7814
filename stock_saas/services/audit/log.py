"""Reading the audit log: the latest entries, one item's history, and batched iteration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.errors import Conflict
from stock_saas.models import AdjustReason, AuditLog, Item, MovementAction
from stock_saas.services.core import (
    Context,
    Role,
    Source,
    UtcDatetime,
    View,
    after_position,
    check_page,
    get_scoped,
    read_cursor,
    require_role,
    scoped,
    write_cursor,
)

__all__ = [
    "COUNT_LIMIT",
    "AuditEntry",
    "AuditFilter",
    "AuditPage",
    "item_history",
    "iter_entries",
    "latest",
]

MAX_PAGE = 1000
# Counting stops here: an exact count of millions of rows reads every one of them (3.5 s
# for a tenant's 5,000,000 on PostgreSQL, see bench/audit_log.py); with two filters of
# which no index holds both, 10,000 matches still meant reading ~60,000 index entries
# (~100 ms); 1,000 (20 pages of 50) cost a few ms. Past it total_exact is false.
COUNT_LIMIT = 1000


class AuditEntry(View):
    id: int
    created_at: UtcDatetime
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    action: MovementAction
    delta: int
    quantity_after: int
    threshold: int
    actor_id: int | None
    actor_name: str
    source: Source
    note: str
    reason: AdjustReason | None = None  # why an adjust changed the level


class AuditPage(View):
    entries: list[AuditEntry]
    total: int  # matching entries, counted up to COUNT_LIMIT
    total_exact: bool = True  # False: more than ``total`` entries match
    next_cursor: str | None = None  # the next (older) page's cursor; None on the last page


@dataclass(frozen=True, slots=True)
class AuditFilter:
    item_id: int | None = None
    department_id: int | None = None
    action: MovementAction | None = None
    reason: AdjustReason | None = None
    since: datetime | None = None
    until: datetime | None = None


def _entry(row: AuditLog) -> AuditEntry:
    return AuditEntry.model_validate(row)


def _filtered(ctx: Context, flt: AuditFilter):  # type: ignore[no-untyped-def]
    query = scoped(ctx, AuditLog)
    if flt.item_id is not None:
        query = query.where(AuditLog.item_id == flt.item_id)
    if flt.department_id is not None:
        query = query.where(AuditLog.department_id == flt.department_id)
    if flt.action:
        query = query.where(AuditLog.action == flt.action)
    if flt.reason:
        query = query.where(AuditLog.reason == flt.reason)
    if flt.since is not None:
        query = query.where(col(AuditLog.created_at) >= flt.since)
    if flt.until is not None:
        query = query.where(col(AuditLog.created_at) < flt.until)
    return query


def _position(ctx: Context, cursor: str, binding: dict[str, Any]) -> list[Any]:
    """A cursor's (created_at, id) position, the time as the datetime it was written from."""
    stamp, last_id = read_cursor(ctx, cursor, listing="audit", binding=binding, size=2)
    try:
        if not isinstance(stamp, str) or not isinstance(last_id, int):
            raise ValueError(stamp)
        return [datetime.fromisoformat(stamp), last_id]
    except ValueError:
        raise Conflict("cursor is not valid; start again without a cursor.") from None


def _page(
    ctx: Context, flt: AuditFilter, limit: int, offset: int, cursor: str | None = None
) -> AuditPage:
    """Newest first by (created_at, id): every filter is then a range of one index that
    leads with (tenant_id[, the filtered column], created_at), so a page reads its own
    rows only, at any depth and for any date range (bench/audit_log.py)."""
    check_page(limit, offset, maximum=MAX_PAGE)
    if cursor and offset:
        raise Conflict("Give either cursor or offset, not both.")  # two fields: 409
    query = _filtered(ctx, flt)
    binding = asdict(flt)
    keys = [col(AuditLog.created_at), col(AuditLog.id)]
    paged = query
    if cursor:
        paged = query.where(after_position(keys, _position(ctx, cursor, binding), descending=True))
    newest_first = [key.desc() for key in keys]
    with read_session() as session:
        counted = query.with_only_columns(col(AuditLog.id)).limit(COUNT_LIMIT + 1)
        total = session.exec(select(func.count()).select_from(counted.subquery())).one()
        # The page's ids first (with a department or an action: an index-only scan that
        # passes over the rows the other filter drops without reading them), then its rows.
        chosen = paged.with_only_columns(col(AuditLog.id)).order_by(*newest_first)
        ids = list(session.execute(chosen.limit(limit + 1).offset(offset)).scalars())
        page = scoped(ctx, AuditLog).where(col(AuditLog.id).in_(ids)).order_by(*newest_first)
        rows = list(session.exec(page)) if ids else []
    entries = [_entry(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        position: list[str | int] = [entries[-1].created_at.isoformat(), entries[-1].id]
        next_cursor = write_cursor(ctx, listing="audit", binding=binding, position=position)
    exact = total <= COUNT_LIMIT
    return AuditPage(
        entries=entries,
        total=int(total) if exact else COUNT_LIMIT,
        total_exact=exact,
        next_cursor=next_cursor,
    )


def latest(
    *,
    ctx: Context,
    limit: int = 50,
    offset: int = 0,
    flt: AuditFilter | None = None,
    cursor: str | None = None,
) -> AuditPage:
    """The tenant's audit log, newest first (admins); ``cursor`` (a previous page's
    ``next_cursor``, same filters) continues after that page without skipping a row."""
    require_role(ctx, Role.ADMIN)
    return _page(ctx, flt or AuditFilter(), limit, offset, cursor)


def item_history(*, ctx: Context, item_id: int, limit: int = 50, offset: int = 0) -> AuditPage:
    """One item's entries across departments, newest first (anyone in the tenant)."""
    require_role(ctx, Role.USER)
    with read_session() as session:
        get_scoped(session, ctx, Item, item_id)
    return _page(ctx, AuditFilter(item_id=item_id), limit, offset)


def iter_entries(
    *, ctx: Context, flt: AuditFilter | None = None, batch: int = 5000, limit: int | None = None
) -> Iterator[list[AuditEntry]]:
    """Every matching entry, oldest first, in batches (keyset-paged; constant memory)."""
    require_role(ctx, Role.ADMIN)
    query = _filtered(ctx, flt or AuditFilter())
    last_id = 0
    remaining = limit
    while remaining is None or remaining > 0:
        size = batch if remaining is None else min(batch, remaining)
        with read_session() as session:
            rows = list(
                session.exec(
                    query.where(col(AuditLog.id) > last_id).order_by(col(AuditLog.id)).limit(size)
                )
            )
        if not rows:
            return
        last_id = rows[-1].id  # type: ignore[assignment]
        if remaining is not None:
            remaining -= len(rows)
        yield [_entry(r) for r in rows]
