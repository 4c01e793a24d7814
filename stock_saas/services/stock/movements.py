"""Stock movements: add/restock, issue, return, transfer and thresholds (listings: queries).

Every movement is one guarded atomic UPDATE (``quantity = quantity + :delta`` with
``quantity >= :n`` for removals) plus an audit row in the same transaction, so concurrent
callers can never drive stock negative or lose a unit. Events go out after commit.
"""

from __future__ import annotations

from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Conflict, InsufficientStock
from stock_saas.models import BARCODE_MAX, Category, Department, Item, MovementAction, StockLevel
from stock_saas.services.catalog import (
    DepartmentRef,
    ItemRef,
    ensure_named,
    resolve_department,
)
from stock_saas.services.core import (
    Context,
    Role,
    clean_name,
    clean_optional,
    find_scoped,
    insert_ignoring_duplicates,
    non_negative,
    positive_quantity,
    require_role,
    scoped,
)
from stock_saas.services.stock.changes import StockChange, Transfer
from stock_saas.services.stock.fast_path import try_fast_move
from stock_saas.services.stock.returns import bounded_return
from stock_saas.services.stock.write_path import apply_move, locate, with_level

__all__ = [
    "add_stock",
    "issue_stock",
    "restock",
    "return_stock",
    "set_threshold",
    "transfer_stock",
]


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
        target = locate(session, ctx, item.id, dept.id)  # type: ignore[arg-type]
        level_existed = target.level_id is not None
        if quantity == 0 and level_existed and threshold is None:
            # 409: whether the level exists is the stored state's, not the request's.
            raise Conflict("Quantity must be at least 1 to restock an existing item.")
        change = apply_move(
            session,
            ctx,
            target,
            delta=quantity,
            action=MovementAction.RESTOCK if level_existed else MovementAction.ADD,
            threshold=threshold,
            note=note,
        )
    return change.model_copy(
        update={
            "created_item": created_item,
            "created_department": created_department,
            "created_category": created_category,
        }
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
    return _simple_move(
        ctx, item, department, positive_quantity(quantity), MovementAction.RESTOCK, note
    )


def issue_stock(
    *, ctx: Context, item: ItemRef, quantity: int, department: DepartmentRef = None, note: str = ""
) -> StockChange:
    """Take units out; InsufficientStock (nothing changed) if fewer are on hand."""
    require_role(ctx, Role.USER)
    return _simple_move(
        ctx, item, department, -positive_quantity(quantity), MovementAction.ISSUE, note
    )


def return_stock(
    *, ctx: Context, item: ItemRef, quantity: int, department: DepartmentRef = None, note: str = ""
) -> StockChange:
    """Put issued units back (for the ``user`` role: at most what is out, see .returns)."""
    require_role(ctx, Role.USER)
    quantity = positive_quantity(quantity)
    if ctx.role == Role.USER:
        return bounded_return(ctx, item, department, quantity, _note(note))
    return _simple_move(ctx, item, department, quantity, MovementAction.RETURN, note)


def _note(note: str) -> str:
    return clean_optional(note, "note", max_length=500) or ""


def _simple_move(
    ctx: Context,
    item_ref: ItemRef,
    department: DepartmentRef,
    delta: int,
    action: MovementAction,
    note: str,
) -> StockChange:
    note = _note(note)
    fast = try_fast_move(ctx, item_ref, department, delta, action, note)
    if fast is not None:
        return fast
    with write_session() as session:
        target = locate(session, ctx, item_ref, department)
        if delta < 0 and target.level_id is None:
            raise InsufficientStock(
                f"{target.item_name!r} is not stocked in {target.department_name}.",
                available=0,
                requested=-delta,
            )
        return apply_move(session, ctx, target, delta=delta, action=action, note=note)


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
        source = locate(session, ctx, item, from_department)
        destination = locate(session, ctx, item, to_department)
        if source.department_id == destination.department_id:
            raise Conflict("Source and destination departments must differ.")  # two fields
        if source.level_id is None:
            raise InsufficientStock(
                f"{source.item_name!r} is not stocked in {source.department_name}.",
                available=0,
                requested=quantity,
            )
        destination = with_level(session, ctx, destination)
        # Lock both rows in id order so opposite transfers cannot deadlock on PostgreSQL.
        session.exec(
            scoped(ctx, StockLevel)
            .where(col(StockLevel.id).in_([source.level_id, destination.level_id]))
            .order_by(col(StockLevel.id))
            .with_for_update()
        ).all()
        out = apply_move(
            session, ctx, source, delta=-quantity, action=MovementAction.TRANSFER_OUT, note=note
        )
        into = apply_move(
            session, ctx, destination, delta=quantity, action=MovementAction.TRANSFER_IN, note=note
        )
        return Transfer(source=out, destination=into)


def set_threshold(
    *, ctx: Context, item: ItemRef, threshold: int, department: DepartmentRef = None
) -> StockChange:
    """Change the low-stock threshold of one stock level (audited, delta 0)."""
    require_role(ctx, Role.MANAGER)
    threshold = non_negative(threshold, "threshold")
    with write_session() as session:
        return apply_move(
            session,
            ctx,
            locate(session, ctx, item, department),
            delta=0,
            action=MovementAction.THRESHOLD,
            threshold=threshold,
        )
