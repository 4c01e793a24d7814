"""Stock movements: every operation, roles allowed and refused, tenants kept apart."""

from __future__ import annotations

import pytest

from stock_saas.errors import Conflict, Forbidden, InsufficientStock, NotFound, ValidationFailed
from stock_saas.services import audit, catalog, events, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import list_stock, low_stock_items


def quantities(ctx: Context) -> dict[tuple[str, str], int]:
    return {(r.name, r.department): r.quantity for r in list_stock(ctx=ctx, limit=500).items}


def test_add_creates_item_department_and_category(manager_a: Context):
    change = stock.add_stock(
        ctx=manager_a,
        name="Gloves",
        quantity=5,
        threshold=2,
        department="Ward 1",
        category="PPE",
        barcode="4006381333931",
    )
    assert (change.created_item, change.created_department, change.created_category) == (
        True,
        True,
        True,
    )
    item = catalog.lookup_barcode(ctx=manager_a, barcode="4006381333931")
    assert (item.name, item.category) == ("Gloves", "PPE")


def test_add_to_existing_item_restocks(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    change = stock.add_stock(ctx=manager_a, name="Gloves", quantity=7)
    assert (change.created_item, change.quantity) == (False, 12)


def test_return_adds_units_back(user_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=3)
    assert stock.return_stock(ctx=user_a, item="Gloves", quantity=2).quantity == 4


def test_restock_by_item_id(manager_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    assert stock.restock(ctx=manager_a, item=added.item_id, quantity=5).quantity == 10


def test_transfer_moves_both_sides_with_two_audit_rows(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    catalog.create_department(ctx=manager_a, name="Lab")
    moved = stock.transfer_stock(
        ctx=manager_a, item="Gloves", quantity=4, from_department="General", to_department="Lab"
    )
    assert (moved.source.quantity, moved.destination.quantity) == (6, 4)
    actions = [e.action for e in audit.latest(ctx=admin_a, limit=2).entries]
    assert actions == ["transfer_in", "transfer_out"]


def test_transfer_of_more_than_stock_changes_neither_side(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
    catalog.create_department(ctx=manager_a, name="Lab")
    with pytest.raises(InsufficientStock):
        stock.transfer_stock(
            ctx=manager_a,
            item="Gloves",
            quantity=4,
            from_department="General",
            to_department="Lab",
        )
    assert quantities(manager_a) == {("Gloves", "General"): 3}


def test_transfer_to_the_same_department_is_refused(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
    with pytest.raises(Conflict):
        stock.transfer_stock(
            ctx=manager_a,
            item="Gloves",
            quantity=1,
            from_department="General",
            to_department="General",
        )


def test_set_threshold_marks_low_and_audits_a_zero_delta(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
    change = stock.set_threshold(ctx=manager_a, item="Gloves", threshold=5)
    assert change.low and change.delta == 0
    assert [r.name for r in low_stock_items(ctx=manager_a)] == ["Gloves"]
    assert audit.latest(ctx=admin_a, limit=1).entries[0].action == "threshold"


def test_events_are_published_only_after_commit(manager_a: Context):
    seen: list[events.Event] = []
    events.subscribe_here(seen.append)
    try:
        stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=5)
        with pytest.raises(InsufficientStock):
            stock.issue_stock(ctx=manager_a, item="Gloves", quantity=11)
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=6)
    finally:
        events.unsubscribe_here(seen.append)
    assert [e.type for e in seen] == ["stock.changed", "stock.changed", "stock.low"]


def test_recovery_above_threshold_publishes_recovered(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, threshold=5)
    seen: list[events.Event] = []
    events.subscribe_here(seen.append)
    try:
        stock.restock(ctx=manager_a, item="Gloves", quantity=4)
    finally:
        events.unsubscribe_here(seen.append)
    assert [e.type for e in seen] == ["stock.changed", "stock.recovered"]


# ---- roles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        lambda ctx: stock.add_stock(ctx=ctx, name="Masks", quantity=1),
        lambda ctx: stock.restock(ctx=ctx, item="Gloves", quantity=1),
        lambda ctx: stock.set_threshold(ctx=ctx, item="Gloves", threshold=1),
        lambda ctx: stock.transfer_stock(
            ctx=ctx, item="Gloves", quantity=1, from_department="General", to_department="Lab"
        ),
        lambda ctx: catalog.create_department(ctx=ctx, name="X"),
        lambda ctx: catalog.create_category(ctx=ctx, name="X"),
    ],
    ids=["add", "restock", "threshold", "transfer", "department", "category"],
)
def test_user_role_cannot_do_manager_work(operation, user_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5, department="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    before = quantities(manager_a)
    with pytest.raises(Forbidden):
        operation(user_a)
    assert quantities(manager_a) == before


def test_user_role_can_issue_and_return(user_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=2)
    stock.return_stock(ctx=user_a, item="Gloves", quantity=1)
    assert quantities(user_a) == {("Gloves", "General"): 4}


def test_only_admins_read_the_audit_log(manager_a: Context):
    with pytest.raises(Forbidden):
        audit.latest(ctx=manager_a)


# ---- bad input changes nothing -------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, -100])
def test_non_positive_issue_is_refused(quantity: int, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    with pytest.raises(ValidationFailed):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=quantity)
    assert quantities(manager_a) == {("Gloves", "General"): 5}


def test_negative_add_is_refused(manager_a: Context):
    with pytest.raises(ValidationFailed):
        stock.add_stock(ctx=manager_a, name="Gloves", quantity=-5)
    assert quantities(manager_a) == {}


def test_unknown_item_and_department_are_not_found(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    with pytest.raises(NotFound):
        stock.issue_stock(ctx=manager_a, item="Gloves2", quantity=1)
    with pytest.raises(NotFound):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1, department="Nowhere")
    assert quantities(manager_a) == {("Gloves", "General"): 5}


def test_over_long_name_is_refused(manager_a: Context):
    with pytest.raises(ValidationFailed):
        stock.add_stock(ctx=manager_a, name="x" * 121, quantity=1)
    assert quantities(manager_a) == {}


def test_duplicate_department_and_category_names_conflict(manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    catalog.create_category(ctx=manager_a, name="PPE")
    with pytest.raises(Conflict):
        catalog.create_department(ctx=manager_a, name="Lab")
    with pytest.raises(Conflict):
        catalog.create_category(ctx=manager_a, name="PPE")
    assert [d.name for d in catalog.list_departments(ctx=manager_a)] == ["General", "Lab"]


def test_barcode_of_another_item_conflicts(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, barcode="123")
    with pytest.raises(Conflict):
        stock.add_stock(ctx=manager_a, name="Masks", quantity=1, barcode="123")
    assert quantities(manager_a) == {("Gloves", "General"): 1}


def test_issue_from_a_department_without_that_item_is_insufficient(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1)
    catalog.create_department(ctx=manager_a, name="Lab")
    with pytest.raises(InsufficientStock):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1, department="Lab")
    assert quantities(manager_a) == {("Gloves", "General"): 1}
