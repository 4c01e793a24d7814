"""Issue 12, item 3: a ``user`` cannot make stock out of nothing with "return", and no
level ever holds more than MAX_QUANTITY (both databases)."""

from __future__ import annotations

import threading

import pytest

from stock_saas.errors import Conflict, Forbidden, StockSaasError
from stock_saas.services import audit, catalog, stock
from stock_saas.services.core import MAX_QUANTITY, Context
from stock_saas.services.stock import list_stock


def quantities(ctx: Context) -> dict[tuple[str, str], int]:
    return {(r.name, r.department): r.quantity for r in list_stock(ctx=ctx, limit=500).items}


def audit_rows(ctx: Context) -> int:
    return len(audit.latest(ctx=ctx, limit=500).entries)


def test_a_user_returns_at_most_what_was_issued_and_not_yet_returned(
    user_a: Context, manager_a: Context, admin_a: Context
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=4)
    stock.return_stock(ctx=user_a, item="Gloves", quantity=1)
    before, rows = quantities(manager_a), audit_rows(admin_a)

    with pytest.raises(Forbidden, match="Only 3 of 'Gloves' issued from General are waiting"):
        stock.return_stock(ctx=user_a, item="Gloves", quantity=4)
    with pytest.raises(Forbidden):
        stock.return_stock(ctx=user_a, item="Gloves", quantity=1_000_000_000)

    assert (quantities(manager_a), audit_rows(admin_a)) == (before, rows)
    assert stock.return_stock(ctx=user_a, item="Gloves", quantity=3).quantity == 10
    with pytest.raises(Forbidden, match="Only 0 of 'Gloves'"):
        stock.return_stock(ctx=user_a, item="Gloves", quantity=1)


def test_a_user_cannot_return_into_a_department_where_the_item_never_was(
    user_a: Context, manager_a: Context, admin_a: Context
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    catalog.create_department(ctx=manager_a, name="Lab")
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=5)
    rows = audit_rows(admin_a)

    with pytest.raises(Forbidden, match="never stocked in Lab"):
        stock.return_stock(ctx=user_a, item="Gloves", quantity=1, department="Lab")

    assert quantities(manager_a) == {("Gloves", "General"): 5}  # no Lab level was made
    assert audit_rows(admin_a) == rows


def test_issues_elsewhere_do_not_count(user_a: Context, manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, department="Lab")
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=6, department="Lab")
    with pytest.raises(Forbidden, match="Only 0"):
        stock.return_stock(ctx=user_a, item="Gloves", quantity=1)
    back = stock.return_stock(ctx=user_a, item="Gloves", quantity=6, department="Lab")
    assert back.quantity == 10


def test_a_manager_s_return_is_not_bounded(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1)
    assert stock.return_stock(ctx=manager_a, item="Gloves", quantity=50).quantity == 51


def test_racing_returns_never_put_back_more_than_was_issued(user_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=10)
    succeeded: list[int] = []
    start = threading.Barrier(8)

    def return_some() -> None:
        start.wait()
        for _ in range(5):
            try:
                stock.return_stock(ctx=user_a, item="Gloves", quantity=1)
            except StockSaasError:
                continue
            succeeded.append(1)

    threads = [threading.Thread(target=return_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (len(succeeded), quantities(manager_a)) == (10, {("Gloves", "General"): 100})


def test_no_level_ever_holds_more_than_max_quantity(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=MAX_QUANTITY - 1)
    rows = audit_rows(admin_a)
    with pytest.raises(Conflict, match=f"more than {MAX_QUANTITY}"):
        stock.add_stock(ctx=manager_a, name="Gloves", quantity=2)
    with pytest.raises(Conflict, match=f"more than {MAX_QUANTITY}"):
        stock.return_stock(ctx=manager_a, item="Gloves", quantity=2)
    assert (quantities(manager_a), audit_rows(admin_a)) == (
        {("Gloves", "General"): MAX_QUANTITY - 1},
        rows,
    )
    assert stock.add_stock(ctx=manager_a, name="Gloves", quantity=1).quantity == MAX_QUANTITY


def test_a_transfer_that_would_overfill_the_destination_changes_nothing(manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=MAX_QUANTITY, department="Lab")
    with pytest.raises(Conflict):
        stock.transfer_stock(
            ctx=manager_a, item="Gloves", quantity=1, from_department="General", to_department="Lab"
        )
    assert quantities(manager_a) == {("Gloves", "General"): 5, ("Gloves", "Lab"): MAX_QUANTITY}
