"""The catalogue in bulk, for services that bring in many rows at once (the CSV import):
a snapshot of every item, and departments, categories and items created or changed by
the thousand inside the caller's transaction. Names match case-insensitively."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col

from stock_saas.errors import Conflict
from stock_saas.models import Category, Department, Item
from stock_saas.services.core import Context, insert_rows, scoped_columns, update_rows

__all__ = [
    "ItemRecord",
    "NewItem",
    "create_items",
    "item_records",
    "named_ids",
    "update_items",
]


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """An item as the import compares it: id, name, barcode, category."""

    id: int
    name: str
    barcode: str | None
    category_id: int | None


@dataclass(frozen=True, slots=True)
class NewItem:
    name: str
    barcode: str | None
    category_id: int | None


def item_records(session: Session, ctx: Context) -> list[ItemRecord]:
    """Every item of the tenant."""
    rows = session.execute(
        scoped_columns(
            ctx, Item, col(Item.id), col(Item.name), col(Item.barcode), col(Item.category_id)
        )
    )
    return [ItemRecord(*row) for row in rows]


def named_ids(
    session: Session,
    ctx: Context,
    model: type[Department] | type[Category],
    create: Iterable[str] = (),
) -> dict[str, tuple[int, str]]:
    """``{name.casefold(): (id, name)}`` of every department or category, after creating
    those of ``create`` that no name matches case-insensitively."""
    known = _named(session, ctx, model)
    missing: dict[str, str] = {}
    for name in create:
        if name.casefold() not in known:
            missing.setdefault(name.casefold(), name)
    if not missing:
        return known
    insert_rows(
        session,
        model,
        [{"tenant_id": ctx.tenant_id, "name": n} for n in missing.values()],
        skip_existing=True,
    )
    return _named(session, ctx, model)


def _named(
    session: Session, ctx: Context, model: type[Department] | type[Category]
) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    # Oldest first: if two names differ only in case, the first one made wins.
    for row_id, name in session.execute(
        scoped_columns(ctx, model, col(model.id), col(model.name)).order_by(col(model.id))
    ):
        found.setdefault(name.casefold(), (row_id, name))
    return found


def create_items(session: Session, ctx: Context, items: list[NewItem]) -> dict[str, int]:
    """Create ``items`` and answer ``{name: id}``; Conflict if a concurrent change took one
    of their names or barcodes in the meantime (the caller's transaction then rolls back)."""
    created = insert_rows(
        session,
        Item,
        [
            {"tenant_id": ctx.tenant_id, "name": i.name, "barcode": i.barcode,
             "category_id": i.category_id, "notes": ""}
            for i in items
        ],
        returning=(col(Item.name), col(Item.id)),
        skip_existing=True,
    )  # fmt: skip
    if len(created) < len(items):
        raise Conflict(
            f"{len(items) - len(created)} items or their barcodes were created by someone "
            "else meanwhile; nothing was imported. Run the import again."
        )
    return {name: item_id for name, item_id in created}


def update_items(session: Session, ctx: Context, items: list[ItemRecord]) -> None:
    """Give existing items the names, barcodes and categories of ``items`` (by id)."""
    update_rows(
        session,
        ctx,
        Item,
        [
            {"id": i.id, "name": i.name, "barcode": i.barcode, "category_id": i.category_id}
            for i in items
        ],
    )
