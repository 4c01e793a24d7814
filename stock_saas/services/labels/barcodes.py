"""Codes on labels: generated item barcodes (``SS-000123``) and department codes.

An item without a barcode gets one the first time a label of it is printed, stored as its
barcode, so scanning the label finds it. Numbers come from a per-tenant counter whose row
is locked while they are handed out (two label runs at once never take the same one), and
a number whose code an item already carries (typed in by hand) is skipped. Department
labels carry ``SS-D`` and the department's id, which the dashboard's scanner opens.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam
from sqlmodel import Session, col

from stock_saas.models import BarcodeCounter, Item
from stock_saas.services.core import (
    Context,
    insert_ignoring_duplicates,
    scoped_columns,
    scoped_update,
)

__all__ = [
    "DEPARTMENT_PREFIX",
    "ITEM_PREFIX",
    "assign_barcodes",
    "department_code",
    "department_id_of",
]

ITEM_PREFIX = "SS-"
DEPARTMENT_PREFIX = "SS-D"
_DEPARTMENT = re.compile(r"SS-D(\d{6,18})")


def _item_code(number: int) -> str:
    return f"{ITEM_PREFIX}{number:06d}"


def department_code(department_id: int) -> str:
    return f"{DEPARTMENT_PREFIX}{department_id:06d}"


def department_id_of(code: str) -> int | None:
    """The department id a scanned department code names, or None for any other code."""
    found = _DEPARTMENT.fullmatch(code.strip())
    return int(found.group(1)) if found else None


def _taken(session: Session, ctx: Context, codes: list[str]) -> set[str]:
    rows = session.execute(
        scoped_columns(ctx, Item, col(Item.barcode)).where(col(Item.barcode).in_(codes))
    ).scalars()
    return {str(code) for code in rows}


def assign_barcodes(session: Session, ctx: Context, item_ids: list[int]) -> dict[int, str]:
    """Give every item of ``item_ids`` that still has no barcode a new tenant-unique one,
    in the caller's transaction; returns the items' barcodes as they now are."""
    if not item_ids:
        return {}
    insert_ignoring_duplicates(session, BarcodeCounter, tenant_id=ctx.tenant_id, last_number=0)
    number = session.execute(
        scoped_columns(ctx, BarcodeCounter, col(BarcodeCounter.last_number)).with_for_update()
    ).scalar_one()
    wanted = sorted(set(item_ids))
    codes: list[str] = []
    while len(codes) < len(wanted):
        batch = [_item_code(n) for n in range(number + 1, number + 1 + len(wanted) - len(codes))]
        taken = _taken(session, ctx, batch)
        codes.extend(code for code in batch if code not in taken)
        number += len(batch)
    # On the connection: Core executemany (a Session would read the list as an ORM bulk
    # update by primary key, which takes no WHERE).
    session.connection().execute(
        scoped_update(ctx, Item)
        .where(col(Item.id) == bindparam("item"), col(Item.barcode).is_(None))
        .values(barcode=bindparam("code")),
        [{"item": item, "code": code} for item, code in zip(wanted, codes, strict=True)],
    )
    session.execute(scoped_update(ctx, BarcodeCounter).values(last_number=number))
    rows = session.execute(
        scoped_columns(ctx, Item, col(Item.id), col(Item.barcode)).where(col(Item.id).in_(wanted))
    ).all()
    return {int(item): str(code) for item, code in rows if code is not None}
