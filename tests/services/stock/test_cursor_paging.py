"""Keyset paging of the stock listing: a walk by cursor sees every row that stays exactly
once, in the listing's order, while other rows are added and deleted between pages."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete

from stock_saas import db
from stock_saas.errors import Conflict
from stock_saas.models import StockLevel
from stock_saas.services import stock
from stock_saas.services.core import Context
from stock_saas.services.stock import StockSort, list_stock

DEPARTMENTS = ("Lab", "Ward", "Store")
CATEGORIES = ("PPE", "Sterile", None)


def _add(ctx: Context, rng: random.Random, n: int) -> None:
    """A level with ties on every sort key (quantities, thresholds, departments, categories)."""
    stock.add_stock(
        ctx=ctx,
        name=f"Item {n:03d}",
        quantity=rng.choice((0, 3, 3, 7)),
        threshold=rng.choice((0, 5, 5)),
        department=rng.choice(DEPARTMENTS),
        category=rng.choice(CATEGORIES),
    )


def _delete(level_ids: list[int]) -> None:
    with db.write_session() as session:
        session.execute(delete(StockLevel).where(StockLevel.id.in_(level_ids)))  # type: ignore[attr-defined]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", list(StockSort))
def test_cursor_walk_sees_every_staying_row_once_while_rows_come_and_go(
    manager_a: Context, sort: StockSort, descending: bool
):
    rng = random.Random(f"{sort}-{descending}")
    for n in range(30):
        _add(manager_a, rng, n)
    at_start = {r.stock_level_id for r in list_stock(ctx=manager_a, limit=500).items}
    deleted: set[int] = set()
    seen: list[int] = []
    cursor, added = None, 30
    while True:
        page = list_stock(ctx=manager_a, limit=4, sort=sort, descending=descending, cursor=cursor)
        seen += [row.stock_level_id for row in page.items]
        # Between pages: two new levels (anywhere in the order) and one level deleted.
        for _ in range(2):
            _add(manager_a, rng, added)
            added += 1
        gone = rng.choice(sorted(at_start - deleted))
        _delete([gone])
        deleted.add(gone)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)), "a row came twice"
    staying = at_start - deleted
    assert staying <= set(seen), "a row that stayed was skipped"
    final = list_stock(ctx=manager_a, limit=500, sort=sort, descending=descending).items
    in_order = [r.stock_level_id for r in final if r.stock_level_id in staying]
    assert [i for i in seen if i in staying] == in_order


def test_cursor_walk_of_a_filtered_listing_ends_with_its_last_row(manager_a: Context):
    rng = random.Random(3)
    for n in range(12):
        _add(manager_a, rng, n)
    everything = list_stock(ctx=manager_a, low=True, limit=500).items
    walked, cursor = [], None
    while True:
        page = list_stock(ctx=manager_a, low=True, limit=5, cursor=cursor)
        walked += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert walked == everything


def test_cursor_of_another_sort_is_refused(manager_a: Context):
    for n in range(3):
        stock.add_stock(ctx=manager_a, name=f"Item {n}", quantity=n)
    cursor = list_stock(ctx=manager_a, limit=1).next_cursor
    assert cursor is not None
    with pytest.raises(Conflict, match="other filters or another sort"):
        list_stock(ctx=manager_a, limit=1, sort=StockSort.QUANTITY, cursor=cursor)


def test_cursor_and_offset_together_are_refused(manager_a: Context):
    for n in range(3):
        stock.add_stock(ctx=manager_a, name=f"Item {n}", quantity=n)
    cursor = list_stock(ctx=manager_a, limit=1).next_cursor
    with pytest.raises(Conflict, match="either cursor or offset"):
        list_stock(ctx=manager_a, limit=1, offset=1, cursor=cursor)
