"""Reading the audit log: the latest entries, one item's history, and batched iteration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import AuditLog, Item
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.scoping import get_scoped, scoped

__all__ = ["AuditEntry", "AuditFilter", "AuditPage", "item_history", "iter_entries", "latest"]

MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    created_at: datetime
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    action: str
    delta: int
    quantity_after: int
    threshold: int
    actor_id: int | None
    actor_name: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int


@dataclass(frozen=True, slots=True)
class AuditFilter:
    item_id: int | None = None
    department_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _entry(row: AuditLog) -> AuditEntry:
    assert row.id is not None
    return AuditEntry(
        row.id,
        row.created_at,
        row.item_id,
        row.item_name,
        row.department_id,
        row.department_name,
        row.action,
        row.delta,
        row.quantity_after,
        row.threshold,
        row.actor_id,
        row.actor_name,
        row.source,
        row.note,
    )


def _filtered(ctx: Context, flt: AuditFilter):  # type: ignore[no-untyped-def]
    query = scoped(ctx, AuditLog)
    if flt.item_id is not None:
        query = query.where(AuditLog.item_id == flt.item_id)
    if flt.department_id is not None:
        query = query.where(AuditLog.department_id == flt.department_id)
    if flt.action:
        query = query.where(AuditLog.action == flt.action)
    if flt.since is not None:
        query = query.where(col(AuditLog.created_at) >= flt.since)
    if flt.until is not None:
        query = query.where(col(AuditLog.created_at) < flt.until)
    return query


def _page(ctx: Context, flt: AuditFilter, limit: int, offset: int) -> AuditPage:
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise ValidationFailed("offset must not be negative.")
    query = _filtered(ctx, flt)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        rows = session.exec(query.order_by(col(AuditLog.id).desc()).limit(limit).offset(offset))
        return AuditPage([_entry(r) for r in rows], int(total))


def latest(
    *, ctx: Context, limit: int = 50, offset: int = 0, flt: AuditFilter | None = None
) -> AuditPage:
    """The tenant's audit log, newest first (admins)."""
    require_role(ctx, Role.ADMIN)
    return _page(ctx, flt or AuditFilter(), limit, offset)


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
