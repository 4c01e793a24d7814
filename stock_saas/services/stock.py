"""Stock movements: add/restock, issue, return, transfer, thresholds, and stock listings.

Every movement is one guarded atomic UPDATE (``quantity = quantity + :delta`` with
``quantity >= :n`` for removals) plus an audit row in the same transaction, so concurrent
callers can never drive stock negative or lose a unit. Events go out after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_
from sqlalchemy import insert as sa_insert
from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Conflict, InsufficientStock, ValidationFailed
from stock_saas.models import AuditLog, Category, Department, Item, StockLevel
from stock_saas.models._columns import utcnow
from stock_saas.models.catalog import BARCODE_MAX
from stock_saas.services import events
from stock_saas.services.catalog import (
    DepartmentRef,
    ensure_named,
    resolve_department,
    resolve_item,
)
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.scoping import (
    find_scoped,
    insert_ignoring_duplicates,
    scoped,
    scoped_columns,
    scoped_update,
)
from stock_saas.services.stock_changes import StockChange, Transfer, change_events
from stock_saas.services.stock_fastpath import try_fast_move
from stock_saas.services.validation import (
    clean_name,
    clean_optional,
    non_negative,
    positive_quantity,
)

__all__ = [
    "ItemRef",
    "StockChange",
    "Transfer",
    "add_stock",
    "issue_stock",
    "restock",
    "return_stock",
    "set_threshold",
    "transfer_stock",
]

ItemRef = int | str


@dataclass(frozen=True, slots=True)
class _Target:
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


def _locate(session: Session, ctx: Context, item: ItemRef, department: DepartmentRef) -> _Target:
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
    return _Target(row[0], row[1] or 0, row[2], row[3], row[4], row[5])


def _with_level(session: Session, ctx: Context, target: _Target) -> _Target:
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


def _move(
    session: Session,
    ctx: Context,
    target: _Target,
    *,
    delta: int,
    action: str,
    threshold: int | None = None,
    note: str = "",
) -> StockChange:
    """Apply ``delta`` atomically (refusing to go below zero) and audit it, in the caller's
    transaction (see stock_fastpath for the one-statement PostgreSQL path)."""
    target = _with_level(session, ctx, target)
    update = scoped_update(ctx, StockLevel).where(col(StockLevel.id) == target.level_id)
    if delta < 0:
        update = update.where(col(StockLevel.quantity) >= -delta)
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
        "action": action,
        "delta": delta,
        "note": note[:500],
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
        target.level_id,
        target.item_id,
        target.item_name,
        target.department_id,
        target.department_name,
        delta,
        quantity,
        new_threshold,
        audit_id,
    )
    # For plain moves the RETURNING threshold is exact even under concurrent edits.
    old_threshold = new_threshold if threshold is None else target.threshold
    for event in change_events(
        ctx, change, action, was_low=(quantity - delta) < old_threshold, created_at=now
    ):
        events.emit(session, event)
    return change


# ---- movements -----------------------------------------------------------------------


def add_stock(
    *,
    ctx: Context,
    name: str,
    quantity: int,
    threshold: int | None = None,
    department: str | None = None,
    category: str | None = None,
    barcode: str | None = None,
    note: str = "",
) -> StockChange:
    """Put ``quantity`` units of ``name`` into ``department``, creating the item, and the
    department and category it names, when missing. Zero is allowed for a new stock level."""
    require_role(ctx, Role.MANAGER)
    name = clean_name(name, "item name")
    quantity = non_negative(quantity, "quantity")
    threshold = None if threshold is None else non_negative(threshold, "threshold")
    department_name = clean_optional(department, "department name")
    category_name = clean_optional(category, "category name")
    code = clean_optional(barcode, "barcode", max_length=BARCODE_MAX)
    with write_session() as session:
        created_department = created_category = False
        if department_name is None:
            dept = resolve_department(session, ctx, None)
        else:
            found, created_department = ensure_named(session, ctx, Department, department_name)
            assert isinstance(found, Department)
            dept = found
        category_id = None
        if category_name is not None:
            cat, created_category = ensure_named(session, ctx, Category, category_name)
            category_id = cat.id
        item = find_scoped(session, ctx, Item, name=name)
        created_item = item is None
        if item is None:
            if code is not None and find_scoped(session, ctx, Item, barcode=code) is not None:
                raise Conflict(f"Barcode {code!r} already belongs to another item.")
            insert_ignoring_duplicates(
                session,
                Item,
                tenant_id=ctx.tenant_id,
                name=name,
                barcode=code,
                category_id=category_id,
                notes="",
            )
            item = find_scoped(session, ctx, Item, name=name)
            assert item is not None
        else:
            _fill_in_catalogue(session, ctx, item, code, category_id)
        target = _locate(session, ctx, item.id, dept.id)  # type: ignore[arg-type]
        level_existed = target.level_id is not None
        if quantity == 0 and level_existed and threshold is None:
            raise ValidationFailed("Quantity must be at least 1 to restock an existing item.")
        change = _move(
            session,
            ctx,
            target,
            delta=quantity,
            action="restock" if level_existed else "add",
            threshold=threshold,
            note=note,
        )
    return replace(
        change,
        created_item=created_item,
        created_department=created_department,
        created_category=created_category,
    )


def _fill_in_catalogue(
    session: Session, ctx: Context, item: Item, code: str | None, category_id: int | None
) -> None:
    """Give an existing item the barcode/category ``add`` names if it has none yet."""
    if code is not None and item.barcode != code:
        if item.barcode is not None:
            raise Conflict(
                f"{item.name!r} has barcode {item.barcode!r}; edit the item to change it."
            )
        if find_scoped(session, ctx, Item, barcode=code) is not None:
            raise Conflict(f"Barcode {code!r} already belongs to another item.")
        item.barcode = code
    if category_id is not None and item.category_id != category_id:
        if item.category_id is not None:
            raise Conflict(f"{item.name!r} is in another category; edit the item to change it.")
        item.category_id = category_id
    session.add(item)
    session.flush()


def restock(
    *, ctx: Context, item: ItemRef, quantity: int, department: DepartmentRef = None, note: str = ""
) -> StockChange:
    """Add units of an existing item (manager)."""
    require_role(ctx, Role.MANAGER)
    return _simple_move(ctx, item, department, positive_quantity(quantity), "restock", note)


def issue_stock(
    *, ctx: Context, item: ItemRef, quantity: int, department: DepartmentRef = None, note: str = ""
) -> StockChange:
    """Take units out; InsufficientStock (nothing changed) if fewer are on hand."""
    require_role(ctx, Role.USER)
    return _simple_move(ctx, item, department, -positive_quantity(quantity), "issue", note)


def return_stock(
    *, ctx: Context, item: ItemRef, quantity: int, department: DepartmentRef = None, note: str = ""
) -> StockChange:
    """Put issued units back."""
    require_role(ctx, Role.USER)
    return _simple_move(ctx, item, department, positive_quantity(quantity), "return", note)


def _simple_move(
    ctx: Context, item_ref: ItemRef, department: DepartmentRef, delta: int, action: str, note: str
) -> StockChange:
    note = clean_optional(note, "note", max_length=500) or ""
    fast = try_fast_move(ctx, item_ref, department, delta, action, note)
    if fast is not None:
        return fast
    with write_session() as session:
        target = _locate(session, ctx, item_ref, department)
        if delta < 0 and target.level_id is None:
            raise InsufficientStock(
                f"{target.item_name!r} is not stocked in {target.department_name}.",
                available=0,
                requested=-delta,
            )
        return _move(session, ctx, target, delta=delta, action=action, note=note)


def transfer_stock(
    *,
    ctx: Context,
    item: ItemRef,
    quantity: int,
    from_department: DepartmentRef,
    to_department: DepartmentRef,
    note: str = "",
) -> Transfer:
    """Move units between departments in one transaction, with two audit rows."""
    require_role(ctx, Role.MANAGER)
    quantity = positive_quantity(quantity)
    note = clean_optional(note, "note", max_length=500) or ""
    with write_session() as session:
        source = _locate(session, ctx, item, from_department)
        destination = _locate(session, ctx, item, to_department)
        if source.department_id == destination.department_id:
            raise ValidationFailed("Source and destination departments must differ.")
        if source.level_id is None:
            raise InsufficientStock(
                f"{source.item_name!r} is not stocked in {source.department_name}.",
                available=0,
                requested=quantity,
            )
        destination = _with_level(session, ctx, destination)
        # Lock both rows in id order so opposite transfers cannot deadlock on PostgreSQL.
        session.exec(
            scoped(ctx, StockLevel)
            .where(col(StockLevel.id).in_([source.level_id, destination.level_id]))
            .order_by(col(StockLevel.id))
            .with_for_update()
        ).all()
        out = _move(session, ctx, source, delta=-quantity, action="transfer_out", note=note)
        into = _move(session, ctx, destination, delta=quantity, action="transfer_in", note=note)
        return Transfer(out, into)


def set_threshold(
    *, ctx: Context, item: ItemRef, threshold: int, department: DepartmentRef = None
) -> StockChange:
    """Change the low-stock threshold of one stock level (audited, delta 0)."""
    require_role(ctx, Role.MANAGER)
    threshold = non_negative(threshold, "threshold")
    with write_session() as session:
        return _move(
            session,
            ctx,
            _locate(session, ctx, item, department),
            delta=0,
            action="threshold",
            threshold=threshold,
        )
