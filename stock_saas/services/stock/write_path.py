"""The one write path of stock: locate a stock level, apply a guarded delta, audit it.

Every movement in :mod:`.movements` goes through :func:`apply_move` inside the caller's
transaction: a guarded ``UPDATE … SET quantity = quantity + :delta WHERE … AND
quantity >= :n`` and the audit INSERT, then the events for after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_
from sqlalchemy import insert as sa_insert
from sqlmodel import Session, col

from stock_saas.errors import Conflict, InsufficientStock
from stock_saas.models import AdjustReason, AuditLog, Department, Item, MovementAction, StockLevel
from stock_saas.services import events
from stock_saas.services.catalog import DepartmentRef, ItemRef, resolve_department, resolve_item
from stock_saas.services.core import (
    MAX_QUANTITY,
    Context,
    clean_name,
    find_scoped,
    insert_ignoring_duplicates,
    scoped_columns,
    scoped_update,
    utcnow,
)
from stock_saas.services.stock.changes import StockChange, change_events

__all__ = ["Target", "apply_move", "locate", "with_level"]


@dataclass(frozen=True, slots=True)
class Target:
    """One stock level's identity, as the hot path needs it (ids and names)."""

    level_id: int | None
    threshold: int
    item_id: int
    item_name: str
    department_id: int
    department_name: str


def _department_clause(ref: DepartmentRef) -> Any:
    if ref is None:
        return col(Department.is_default)
    if isinstance(ref, int):
        return col(Department.id) == ref
    return col(Department.name) == clean_name(ref, "department")


def locate(session: Session, ctx: Context, item: ItemRef, department: DepartmentRef) -> Target:
    """Item, department and (if it exists) their stock level, in one query."""
    item_clause = (
        col(Item.id) == item
        if isinstance(item, int)
        else col(Item.name) == clean_name(item, "item name")
    )
    row = session.execute(
        scoped_columns(
            ctx,
            Item,
            col(StockLevel.id),
            col(StockLevel.threshold),
            col(Item.id),
            col(Item.name),
            col(Department.id),
            col(Department.name),
        )
        .join(Department, col(Department.tenant_id) == col(Item.tenant_id))
        .outerjoin(
            StockLevel,
            and_(
                col(StockLevel.item_id) == col(Item.id),
                col(StockLevel.department_id) == col(Department.id),
            ),
        )
        .where(item_clause, _department_clause(department))
    ).first()
    if row is None:
        resolve_item(session, ctx, item)  # raises NotFound naming what is missing
        resolve_department(session, ctx, department)
        raise AssertionError("unreachable: both item and department exist")
    return Target(row[0], row[1] or 0, row[2], row[3], row[4], row[5])


def with_level(session: Session, ctx: Context, target: Target) -> Target:
    """``target`` with its stock level, created at zero if missing."""
    if target.level_id is not None:
        return target
    insert_ignoring_duplicates(
        session,
        StockLevel,
        tenant_id=ctx.tenant_id,
        item_id=target.item_id,
        department_id=target.department_id,
        quantity=0,
        threshold=0,
    )
    level = find_scoped(
        session, ctx, StockLevel, item_id=target.item_id, department_id=target.department_id
    )
    assert level is not None and level.id is not None
    return replace(target, level_id=level.id, threshold=level.threshold)


def apply_move(
    session: Session,
    ctx: Context,
    target: Target,
    *,
    delta: int,
    action: MovementAction,
    threshold: int | None = None,
    note: str = "",
    reason: AdjustReason | None = None,
) -> StockChange:
    """Apply ``delta`` atomically (refusing to go below zero) and audit it, in the caller's
    transaction (see :mod:`.fast_path` for the one-statement PostgreSQL path). ``reason``
    says why an ``adjust`` changed the level."""
    target = with_level(session, ctx, target)
    update = scoped_update(ctx, StockLevel).where(col(StockLevel.id) == target.level_id)
    if delta < 0:
        update = update.where(col(StockLevel.quantity) >= -delta)
    elif delta > 0:  # a level never holds more than both databases can count
        update = update.where(col(StockLevel.quantity) <= MAX_QUANTITY - delta)
    values: dict[str, Any] = {"quantity": col(StockLevel.quantity) + delta}
    if threshold is not None:
        values["threshold"] = threshold
    update = update.values(**values).returning(
        col(StockLevel.quantity).label("quantity"), col(StockLevel.threshold).label("threshold")
    )
    now = utcnow()
    audit_values = {
        "tenant_id": ctx.tenant_id,
        "stock_level_id": target.level_id,
        "item_id": target.item_id,
        "department_id": target.department_id,
        "item_name": target.item_name,
        "department_name": target.department_name,
        "actor_id": ctx.user_id,
        "actor_name": ctx.actor_name[:120],
        "source": ctx.source.value,
        "action": action.value,
        "delta": delta,
        "note": note[:500],
        "reason": None if reason is None else reason.value,
        "created_at": now,
    }
    audit_returning = (col(AuditLog.id), col(AuditLog.quantity_after), col(AuditLog.threshold))
    row = None
    moved = session.execute(update).first()
    if moved is not None:
        row = session.execute(
            sa_insert(AuditLog)
            .values(**audit_values, quantity_after=moved[0], threshold=moved[1])
            .returning(*audit_returning)
        ).first()
    if row is None and delta > 0:
        # 409 like insufficient stock: the request is valid, the stored level is too full.
        raise Conflict(
            f"{target.item_name!r} in {target.department_name} would hold more than "
            f"{MAX_QUANTITY} units; nothing was changed."
        )
    if row is None:
        available = session.execute(
            scoped_columns(ctx, StockLevel, col(StockLevel.quantity)).where(
                col(StockLevel.id) == target.level_id
            )
        ).scalar_one()
        raise InsufficientStock(
            f"Only {available} of {target.item_name!r} in {target.department_name}; "
            f"cannot take {-delta}.",
            available=available,
            requested=-delta,
        )
    audit_id, quantity, new_threshold = int(row[0]), int(row[1]), int(row[2])
    assert target.level_id is not None
    change = StockChange(
        stock_level_id=target.level_id,
        item_id=target.item_id,
        name=target.item_name,
        department_id=target.department_id,
        department=target.department_name,
        delta=delta,
        quantity=quantity,
        threshold=new_threshold,
        audit_id=audit_id,
    )
    # For plain moves the RETURNING threshold is exact even under concurrent edits.
    old_threshold = new_threshold if threshold is None else target.threshold
    for event in change_events(
        ctx,
        change,
        action,
        was_low=(quantity - delta) < old_threshold,
        created_at=now,
        reason=reason,
    ):
        events.emit(session, event)
    return change
