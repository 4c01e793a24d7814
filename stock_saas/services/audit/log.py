"""Reading the audit log: the latest entries, one item's history, and batched iteration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.errors import ValidationFailed
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

__all__ = ["AuditEntry", "AuditFilter", "AuditPage", "item_history", "iter_entries", "latest"]

MAX_PAGE = 1000


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
    total: int
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


def _page(
    ctx: Context, flt: AuditFilter, limit: int, offset: int, cursor: str | None = None
) -> AuditPage:
    check_page(limit, offset, maximum=MAX_PAGE)
    if cursor and offset:
        raise ValidationFailed("Give either cursor or offset, not both.")
    query = _filtered(ctx, flt)
    binding = asdict(flt)
    paged = query
    if cursor:
        position = read_cursor(ctx, cursor, listing="audit", binding=binding, size=1)
        paged = query.where(after_position([col(AuditLog.id)], position, descending=True))
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        rows = list(
            session.exec(paged.order_by(col(AuditLog.id).desc()).limit(limit + 1).offset(offset))
        )
    entries = [_entry(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        position = [entries[-1].id]
        next_cursor = write_cursor(ctx, listing="audit", binding=binding, position=position)
    return AuditPage(entries=entries, total=int(total), next_cursor=next_cursor)


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
