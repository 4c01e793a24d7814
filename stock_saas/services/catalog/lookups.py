"""How other services find catalogue rows inside their own transaction: by id or name,
created on demand where the operation allows it."""

from __future__ import annotations

from sqlmodel import Session

from stock_saas.errors import NotFound
from stock_saas.models import Category, Department, Item
from stock_saas.services.core import (
    Context,
    clean_name,
    find_scoped,
    insert_ignoring_duplicates,
)

__all__ = [
    "DepartmentRef",
    "ItemRef",
    "ensure_named",
    "resolve_category",
    "resolve_department",
    "resolve_item",
]

DepartmentRef = int | str | None
ItemRef = int | str


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
