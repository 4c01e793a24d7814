"""Departments, categories and items of one tenant."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound
from stock_saas.models import BARCODE_MAX, Category, Department, Item, StockLevel
from stock_saas.services.context import Context, Role, require_role
from stock_saas.services.scoping import (
    find_scoped,
    get_scoped,
    insert_ignoring_duplicates,
    scoped,
    scoped_columns,
    scoped_rows,
)
from stock_saas.services.validation import clean_name, clean_optional

__all__ = [
    "CategoryView",
    "DepartmentRef",
    "DepartmentView",
    "ItemView",
    "create_category",
    "create_department",
    "delete_category",
    "delete_department",
    "get_item",
    "list_categories",
    "list_departments",
    "lookup_barcode",
    "rename_category",
    "rename_department",
    "resolve_category",
    "resolve_department",
    "resolve_item",
    "update_item",
]

DepartmentRef = int | str | None


@dataclass(frozen=True, slots=True)
class DepartmentView:
    id: int
    name: str
    is_default: bool
    item_count: int = 0
    low_count: int = 0


@dataclass(frozen=True, slots=True)
class CategoryView:
    id: int
    name: str
    item_count: int = 0


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    name: str
    barcode: str | None
    category_id: int | None
    category: str | None
    notes: str


# ---- lookups used by the other services (inside their transaction) -----------------


def resolve_department(session: Session, ctx: Context, ref: DepartmentRef) -> Department:
    """The department named or numbered ``ref``; None means the tenant's default."""
    if ref is None:
        found = find_scoped(session, ctx, Department, is_default=True)
    elif isinstance(ref, int):
        found = find_scoped(session, ctx, Department, id=ref)
    else:
        found = find_scoped(session, ctx, Department, name=clean_name(ref, "department"))
    if found is None:
        raise NotFound(f"No department {ref!r}." if ref is not None else "No default department.")
    return found


def resolve_category(session: Session, ctx: Context, ref: int | str) -> Category:
    if isinstance(ref, int):
        found = find_scoped(session, ctx, Category, id=ref)
    else:
        found = find_scoped(session, ctx, Category, name=clean_name(ref, "category"))
    if found is None:
        raise NotFound(f"No category {ref!r}.")
    return found


def resolve_item(session: Session, ctx: Context, ref: int | str) -> Item:
    if isinstance(ref, int):
        found = find_scoped(session, ctx, Item, id=ref)
    else:
        found = find_scoped(session, ctx, Item, name=clean_name(ref, "item name"))
    if found is None:
        raise NotFound(f"No item {ref!r}.")
    return found


def ensure_named(
    session: Session, ctx: Context, model: type[Department] | type[Category], name: str
) -> tuple[Department | Category, bool]:
    """The row of ``model`` called ``name``, created if missing; and whether it was created."""
    existing = find_scoped(session, ctx, model, name=name)
    if existing is not None:
        return existing, False
    insert_ignoring_duplicates(session, model, tenant_id=ctx.tenant_id, name=name)
    created = find_scoped(session, ctx, model, name=name)
    assert created is not None
    return created, True


_units_held = func.coalesce(func.sum(StockLevel.quantity), 0)


# ---- departments ---------------------------------------------------------------------


def list_departments(*, ctx: Context) -> list[DepartmentView]:
    """Every department with how many items it stocks and how many of those are low."""
    with read_session() as session:
        counts = (
            scoped_columns(
                ctx,
                StockLevel,
                col(StockLevel.department_id),
                func.count().label("items"),
                func.sum(
                    case((col(StockLevel.quantity) < col(StockLevel.threshold), 1), else_=0)
                ).label("low"),
            )
            .group_by(col(StockLevel.department_id))
            .subquery()
        )
        rows = session.execute(
            scoped_rows(ctx, Department, counts.c["items"], counts.c["low"])
            .outerjoin(counts, counts.c.department_id == Department.id)
            .order_by(col(Department.name))
        ).all()
    return [
        DepartmentView(d.id, d.name, d.is_default, int(items or 0), int(low or 0))  # type: ignore[arg-type]
        for d, items, low in rows  # type: ignore[misc]
    ]


def _unique_name_guard(session: Session, what: str, name: str) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A {what} called {name!r} already exists.") from exc


def create_department(*, ctx: Context, name: str) -> DepartmentView:
    require_role(ctx, Role.MANAGER)
    name = clean_name(name, "department name")
    with write_session() as session:
        if find_scoped(session, ctx, Department, name=name) is not None:
            raise Conflict(f"A department called {name!r} already exists.")
        department = Department(tenant_id=ctx.tenant_id, name=name)
        session.add(department)
        _unique_name_guard(session, "department", name)
        assert department.id is not None
        return DepartmentView(department.id, department.name, department.is_default)


def rename_department(*, ctx: Context, department_id: int, name: str) -> DepartmentView:
    require_role(ctx, Role.MANAGER)
    name = clean_name(name, "department name")
    with write_session() as session:
        department = get_scoped(session, ctx, Department, department_id)
        other = find_scoped(session, ctx, Department, name=name)
        if other is not None and other.id != department.id:
            raise Conflict(f"A department called {name!r} already exists.")
        department.name = name
        session.add(department)
        _unique_name_guard(session, "department", name)
        assert department.id is not None
        return DepartmentView(department.id, department.name, department.is_default)


def delete_department(*, ctx: Context, department_id: int) -> None:
    """Delete an empty department; its zero stock levels go, their history stays."""
    require_role(ctx, Role.MANAGER)
    with write_session() as session:
        department = get_scoped(session, ctx, Department, department_id, lock=True)
        if department.is_default:
            raise Conflict("The default department cannot be deleted.")
        held = session.execute(
            scoped_columns(ctx, StockLevel, _units_held).where(
                col(StockLevel.department_id) == department_id
            )
        ).scalar_one()
        if held:
            raise Conflict(
                f"Department {department.name!r} still holds {held} units; "
                "transfer or issue them first."
            )
        session.execute(
            delete(StockLevel).where(
                col(StockLevel.tenant_id) == ctx.tenant_id,
                col(StockLevel.department_id) == department_id,
                col(StockLevel.quantity) == 0,
            )
        )
        session.delete(department)


# ---- categories ----------------------------------------------------------------------


def list_categories(*, ctx: Context) -> list[CategoryView]:
    with read_session() as session:
        counts = (
            scoped_columns(ctx, Item, col(Item.category_id), func.count().label("items"))
            .group_by(col(Item.category_id))
            .subquery()
        )
        rows = session.execute(
            scoped_rows(ctx, Category, counts.c["items"])
            .outerjoin(counts, counts.c.category_id == Category.id)
            .order_by(col(Category.name))
        ).all()
    return [CategoryView(c.id, c.name, int(n or 0)) for c, n in rows]  # type: ignore[misc,arg-type]


def create_category(*, ctx: Context, name: str) -> CategoryView:
    require_role(ctx, Role.MANAGER)
    name = clean_name(name, "category name")
    with write_session() as session:
        if find_scoped(session, ctx, Category, name=name) is not None:
            raise Conflict(f"A category called {name!r} already exists.")
        category = Category(tenant_id=ctx.tenant_id, name=name)
        session.add(category)
        _unique_name_guard(session, "category", name)
        assert category.id is not None
        return CategoryView(category.id, category.name)


def rename_category(*, ctx: Context, category_id: int, name: str) -> CategoryView:
    require_role(ctx, Role.MANAGER)
    name = clean_name(name, "category name")
    with write_session() as session:
        category = get_scoped(session, ctx, Category, category_id)
        other = find_scoped(session, ctx, Category, name=name)
        if other is not None and other.id != category.id:
            raise Conflict(f"A category called {name!r} already exists.")
        category.name = name
        session.add(category)
        _unique_name_guard(session, "category", name)
        assert category.id is not None
        return CategoryView(category.id, category.name)


def delete_category(*, ctx: Context, category_id: int) -> None:
    """Delete a category whose items hold no stock; those items become uncategorised."""
    require_role(ctx, Role.MANAGER)
    with write_session() as session:
        category = get_scoped(session, ctx, Category, category_id, lock=True)
        held = session.execute(
            scoped_columns(ctx, StockLevel, _units_held)
            .join(Item, col(Item.id) == StockLevel.item_id)
            .where(col(Item.category_id) == category_id)
        ).scalar_one()
        if held:
            raise Conflict(
                f"Category {category.name!r} still holds {held} units; move its items first."
            )
        for item in session.exec(scoped(ctx, Item).where(Item.category_id == category_id)):
            item.category_id = None
            session.add(item)
        session.flush()
        session.delete(category)


# ---- items ---------------------------------------------------------------------------


def _item_view(session: Session, item: Item) -> ItemView:
    category = session.get(Category, item.category_id) if item.category_id else None
    assert item.id is not None
    return ItemView(
        item.id,
        item.name,
        item.barcode,
        item.category_id,
        category.name if category else None,
        item.notes,
    )


def get_item(*, ctx: Context, item_id: int) -> ItemView:
    with read_session() as session:
        return _item_view(session, get_scoped(session, ctx, Item, item_id))


def lookup_barcode(*, ctx: Context, barcode: str) -> ItemView:
    code = clean_name(barcode, "barcode", max_length=BARCODE_MAX)
    with read_session() as session:
        item = find_scoped(session, ctx, Item, barcode=code)
        if item is None:
            raise NotFound(f"No item with barcode {code!r}.")
        return _item_view(session, item)


_UNSET = object()


def update_item(
    *,
    ctx: Context,
    item_id: int,
    name: str | None = None,
    barcode: str | object | None = _UNSET,
    category: int | str | object | None = _UNSET,
    notes: str | None = None,
) -> ItemView:
    """Change an item's catalogue fields; an empty barcode or category clears it."""
    require_role(ctx, Role.MANAGER)
    with write_session() as session:
        item = get_scoped(session, ctx, Item, item_id)
        if name is not None:
            new_name = clean_name(name, "item name")
            other = find_scoped(session, ctx, Item, name=new_name)
            if other is not None and other.id != item.id:
                raise Conflict(f"An item called {new_name!r} already exists.")
            item.name = new_name
        if barcode is not _UNSET:
            code = clean_optional(
                barcode if isinstance(barcode, str) else None, "barcode", max_length=BARCODE_MAX
            )
            if code is not None:
                other = find_scoped(session, ctx, Item, barcode=code)
                if other is not None and other.id != item.id:
                    raise Conflict(f"Barcode {code!r} already belongs to {other.name!r}.")
            item.barcode = code
        if category is not _UNSET:
            if category is None or (isinstance(category, str) and not category.strip()):
                item.category_id = None
            else:
                assert isinstance(category, int | str)
                item.category_id = resolve_category(session, ctx, category).id
        if notes is not None:
            item.notes = clean_optional(notes, "notes", max_length=2000) or ""
        session.add(item)
        _unique_name_guard(session, "item", item.name)
        return _item_view(session, item)
