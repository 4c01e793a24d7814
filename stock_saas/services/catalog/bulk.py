"""The catalogue in bulk, for services that bring in many rows at once (the CSV import):
a snapshot of every item, and departments, categories and items created or changed by
the thousand inside the caller's transaction. Names match case-insensitively."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col

from stock_saas.errors import Conflict
from stock_saas.models import Category, Department, Item
from stock_saas.services.core import (
    Context,
    insert_many_ignoring_duplicates,
    scoped_columns,
    scoped_update,
)

__all__ = [
    "CHUNK",
    "ItemRecord",
    "NewItem",
    "create_items",
    "item_records",
    "named_ids",
    "update_items",
]

CHUNK = 5000  # ids or names per IN (...) list: far below SQLite's bound-parameter limit


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
    insert_many_ignoring_duplicates(
        session, model, [{"tenant_id": ctx.tenant_id, "name": n} for n in missing.values()]
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
    insert_many_ignoring_duplicates(
        session,
        Item,
        [
            {"tenant_id": ctx.tenant_id, "name": i.name, "barcode": i.barcode,
             "category_id": i.category_id, "notes": ""}
            for i in items
        ],
    )  # fmt: skip
    ids: dict[str, int] = {}
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        rows = session.execute(
            scoped_columns(ctx, Item, col(Item.name), col(Item.id), col(Item.barcode)).where(
                col(Item.name).in_([i.name for i in chunk])
            )
        ).all()
        found = {name: (item_id, barcode) for name, item_id, barcode in rows}
        for item in chunk:
            hit = found.get(item.name)
            if hit is None or hit[1] != item.barcode:
                raise Conflict(
                    f"Item {item.name!r} or its barcode was created by someone else meanwhile; "
                    "nothing was imported. Run the import again."
                )
            ids[item.name] = hit[0]
    return ids


def update_items(session: Session, ctx: Context, items: list[ItemRecord]) -> None:
    """Give existing items the names, barcodes and categories of ``items`` (by id)."""
    if not items:
        return
    statement = (
        scoped_update(ctx, Item)
        .where(col(Item.id) == bindparam("item_id"))
        .values(
            name=bindparam("new_name"),
            barcode=bindparam("new_barcode"),
            category_id=bindparam("new_category_id"),
        )
    )
    # Core executemany on the session's connection (not the ORM's bulk-by-primary-key).
    session.connection().execute(
        statement,
        [
            {"item_id": i.id, "new_name": i.name, "new_barcode": i.barcode,
             "new_category_id": i.category_id}
            for i in items
        ],
    )  # fmt: skip
