"""Items of the catalogue: reading one, barcode lookup, editing name, barcode, category."""

from __future__ import annotations

from sqlmodel import Session

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound
from stock_saas.models import BARCODE_MAX, Category, Item
from stock_saas.services.catalog.lookups import resolve_category
from stock_saas.services.catalog.named import unique_name_guard
from stock_saas.services.core import (
    Context,
    Role,
    View,
    clean_name,
    clean_optional,
    find_scoped,
    get_scoped,
    require_role,
)

__all__ = ["ItemView", "get_item", "lookup_barcode", "update_item"]


class ItemView(View):
    id: int
    name: str
    barcode: str | None
    category_id: int | None
    category: str | None
    notes: str


def _item_view(session: Session, item: Item) -> ItemView:
    category = session.get(Category, item.category_id) if item.category_id else None
    return ItemView(
        id=item.id,
        name=item.name,
        barcode=item.barcode,
        category_id=item.category_id,
        category=category.name if category else None,
        notes=item.notes,
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
        unique_name_guard(session, "item", item.name)
        return _item_view(session, item)
