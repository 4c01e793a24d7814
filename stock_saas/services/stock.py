"""Stock movements: add/restock, issue, return, transfer, thresholds, and stock listings.

Every movement is one guarded atomic UPDATE (``quantity = quantity + :delta`` with
``quantity >= :n`` for removals) plus an audit row in the same transaction, so concurrent
callers can never drive stock negative or lose a unit. Events go out after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Conflict, InsufficientStock, ValidationFailed
from stock_saas.models import AuditLog, Category, Department, Item, StockLevel
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
    scoped_update,
)
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
class StockChange:
    """The outcome of one movement on one stock level."""

    stock_level_id: int
    item_id: int
    name: str
    department_id: int
    department: str
    delta: int
    quantity: int
    threshold: int
    audit_id: int
    created_item: bool = False
    created_department: bool = False
    created_category: bool = False

    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


@dataclass(frozen=True, slots=True)
class Transfer:
    source: StockChange
    destination: StockChange


# ---- the one write path --------------------------------------------------------------


def _level(session: Session, ctx: Context, item: Item, department: Department) -> StockLevel:
    """The stock level of ``item`` in ``department``, created at zero if missing."""
    level = find_scoped(session, ctx, StockLevel, item_id=item.id, department_id=department.id)
    if level is None:
        insert_ignoring_duplicates(
            session,
            StockLevel,
            tenant_id=ctx.tenant_id,
            item_id=item.id,
            department_id=department.id,
            quantity=0,
            threshold=0,
        )
        level = find_scoped(session, ctx, StockLevel, item_id=item.id, department_id=department.id)
        assert level is not None
    return level


def _move(
    session: Session,
    ctx: Context,
    *,
    item: Item,
    department: Department,
    delta: int,
    action: str,
    threshold: int | None = None,
    note: str = "",
) -> StockChange:
    """Apply ``delta`` atomically (refusing to go below zero) and audit it."""
    level = _level(session, ctx, item, department)
    threshold_before = level.threshold
    statement = scoped_update(ctx, StockLevel).where(col(StockLevel.id) == level.id)
    if delta < 0:
        statement = statement.where(col(StockLevel.quantity) >= -delta)
    values: dict[str, object] = {"quantity": col(StockLevel.quantity) + delta}
    if threshold is not None:
        values["threshold"] = threshold
    result = session.execute(
        statement.values(**values).returning(col(StockLevel.quantity), col(StockLevel.threshold))
    ).first()
    if result is None:
        session.refresh(level)
        available = level.quantity
        raise InsufficientStock(
            f"Only {available} of {item.name!r} in {department.name}; cannot take {-delta}.",
            available=available,
            requested=-delta,
        )
    quantity, new_threshold = int(result[0]), int(result[1])
    # For plain moves the RETURNING threshold is exact even under concurrent edits.
    old_threshold = new_threshold if threshold is None else threshold_before
    audit = AuditLog(
        tenant_id=ctx.tenant_id,
        stock_level_id=level.id,
        item_id=item.id,  # type: ignore[arg-type]
        department_id=department.id,  # type: ignore[arg-type]
        item_name=item.name,
        department_name=department.name,
        actor_id=ctx.user_id,
        actor_name=ctx.actor_name[:120],
        source=ctx.source.value,
        action=action,
        delta=delta,
        quantity_after=quantity,
        threshold=new_threshold,
        note=note[:500],
    )
    session.add(audit)
    session.flush()
    assert audit.id is not None and level.id is not None and item.id is not None
    assert department.id is not None
    change = StockChange(
        level.id,
        item.id,
        item.name,
        department.id,
        department.name,
        delta,
        quantity,
        new_threshold,
        audit.id,
    )
    _emit_change(
        session, ctx, change, action, was_low=(quantity - delta) < old_threshold, audit=audit
    )
    return change


def _emit_change(
    session: Session,
    ctx: Context,
    change: StockChange,
    action: str,
    *,
    was_low: bool,
    audit: AuditLog,
) -> None:
    events.emit(
        session,
        events.StockChanged(
            tenant_id=ctx.tenant_id,
            audit_id=change.audit_id,
            stock_level_id=change.stock_level_id,
            item_id=change.item_id,
            item_name=change.name,
            department_id=change.department_id,
            department_name=change.department,
            action=action,
            delta=change.delta,
            quantity=change.quantity,
            threshold=change.threshold,
            source=ctx.source.value,
            actor=ctx.actor_name,
            created_at=audit.created_at.isoformat(),
        ),
    )
    crossing: type[events.LowStockEntered] | type[events.LowStockRecovered] | None = None
    if change.low and not was_low:
        crossing = events.LowStockEntered
    elif was_low and not change.low:
        crossing = events.LowStockRecovered
    if crossing is not None:
        events.emit(
            session,
            crossing(
                tenant_id=ctx.tenant_id,
                stock_level_id=change.stock_level_id,
                item_id=change.item_id,
                item_name=change.name,
                department_id=change.department_id,
                department_name=change.department,
                quantity=change.quantity,
                threshold=change.threshold,
            ),
        )


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
        level_existed = find_scoped(
            session, ctx, StockLevel, item_id=item.id, department_id=dept.id
        )
        if quantity == 0 and level_existed is not None and threshold is None:
            raise ValidationFailed("Quantity must be at least 1 to restock an existing item.")
        change = _move(
            session,
            ctx,
            item=item,
            department=dept,
            delta=quantity,
            action="add" if level_existed is None else "restock",
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
    with write_session() as session:
        item = resolve_item(session, ctx, item_ref)
        dept = resolve_department(session, ctx, department)
        if (
            delta < 0
            and find_scoped(session, ctx, StockLevel, item_id=item.id, department_id=dept.id)
            is None
        ):
            raise InsufficientStock(
                f"{item.name!r} is not stocked in {dept.name}.", available=0, requested=-delta
            )
        return _move(
            session, ctx, item=item, department=dept, delta=delta, action=action, note=note
        )


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
        found = resolve_item(session, ctx, item)
        source = resolve_department(session, ctx, from_department)
        destination = resolve_department(session, ctx, to_department)
        if source.id == destination.id:
            raise ValidationFailed("Source and destination departments must differ.")
        if find_scoped(session, ctx, StockLevel, item_id=found.id, department_id=source.id) is None:
            raise InsufficientStock(
                f"{found.name!r} is not stocked in {source.name}.", available=0, requested=quantity
            )
        # Lock both rows in id order so opposite transfers cannot deadlock on PostgreSQL.
        levels = [_level(session, ctx, found, source), _level(session, ctx, found, destination)]
        session.exec(
            scoped(ctx, StockLevel)
            .where(col(StockLevel.id).in_([lv.id for lv in levels]))
            .order_by(col(StockLevel.id))
            .with_for_update()
        ).all()
        out = _move(
            session,
            ctx,
            item=found,
            department=source,
            delta=-quantity,
            action="transfer_out",
            note=note,
        )
        into = _move(
            session,
            ctx,
            item=found,
            department=destination,
            delta=quantity,
            action="transfer_in",
            note=note,
        )
        return Transfer(out, into)


def set_threshold(
    *, ctx: Context, item: ItemRef, threshold: int, department: DepartmentRef = None
) -> StockChange:
    """Change the low-stock threshold of one stock level (audited, delta 0)."""
    require_role(ctx, Role.MANAGER)
    threshold = non_negative(threshold, "threshold")
    with write_session() as session:
        found = resolve_item(session, ctx, item)
        dept = resolve_department(session, ctx, department)
        return _move(
            session,
            ctx,
            item=found,
            department=dept,
            delta=0,
            action="threshold",
            threshold=threshold,
        )
