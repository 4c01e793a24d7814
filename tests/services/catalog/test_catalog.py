"""Departments, categories and items: lifecycle rules and tenant isolation."""

from __future__ import annotations

import pytest

from stock_saas.errors import Conflict, NotFound
from stock_saas.services import audit, catalog, people, stock
from stock_saas.services.core import Context, Role
from stock_saas.services.stock import list_stock
from tests.conftest import TEST_PASSWORD


def test_deleting_a_department_that_holds_stock_conflicts(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, department="Lab")
    lab = next(d for d in catalog.list_departments(ctx=manager_a) if d.name == "Lab")
    with pytest.raises(Conflict):
        catalog.delete_department(ctx=manager_a, department_id=lab.id)
    assert lab.id in [d.id for d in catalog.list_departments(ctx=manager_a)]


def test_deleting_an_emptied_department_keeps_its_history(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, department="Lab")
    stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1, department="Lab")
    lab = next(d for d in catalog.list_departments(ctx=manager_a) if d.name == "Lab")
    catalog.delete_department(ctx=manager_a, department_id=lab.id)
    assert "Lab" not in [d.name for d in catalog.list_departments(ctx=manager_a)]
    assert [e.department_name for e in audit.latest(ctx=admin_a).entries] == ["Lab", "Lab"]


def test_the_default_department_cannot_be_deleted(manager_a: Context):
    general = catalog.list_departments(ctx=manager_a)[0]
    with pytest.raises(Conflict):
        catalog.delete_department(ctx=manager_a, department_id=general.id)


def test_department_counts_items_and_low_ones(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, threshold=5)
    stock.add_stock(ctx=manager_a, name="Masks", quantity=10, threshold=5)
    general = catalog.list_departments(ctx=manager_a)[0]
    assert (general.item_count, general.low_count) == (2, 1)


def test_rename_to_an_existing_name_conflicts(manager_a: Context):
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    catalog.create_department(ctx=manager_a, name="Ward")
    with pytest.raises(Conflict):
        catalog.rename_department(ctx=manager_a, department_id=lab.id, name="Ward")


def test_categories_with_and_without_their_item_counts(manager_a: Context, admin_b: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, category="PPE")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=1, category="PPE")
    catalog.create_category(ctx=manager_a, name="Empty")
    stock.add_stock(ctx=admin_b, name="Gloves", quantity=1, category="PPE")
    counted = catalog.list_categories(ctx=manager_a)
    assert [(c.name, c.item_count) for c in counted] == [("Empty", 0), ("PPE", 2)]
    named = catalog.list_categories(ctx=manager_a, item_counts=False)
    assert [(c.id, c.name, c.item_count) for c in named] == [(c.id, c.name, 0) for c in counted]


def test_deleting_a_category_with_stock_conflicts(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, category="PPE")
    ppe = catalog.list_categories(ctx=manager_a)[0]
    with pytest.raises(Conflict):
        catalog.delete_category(ctx=manager_a, category_id=ppe.id)


def test_edit_item_name_barcode_and_category(manager_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=1)
    catalog.create_category(ctx=manager_a, name="PPE")
    item = catalog.update_item(
        ctx=manager_a, item_id=added.item_id, name="Nitrile gloves", barcode="999", category="PPE"
    )
    assert (item.name, item.barcode, item.category) == ("Nitrile gloves", "999", "PPE")


# ---- a second tenant can neither read nor change any resource --------------------------


@pytest.fixture
def acme_things(manager_a: Context, admin_a: Context) -> dict[str, int]:
    added = stock.add_stock(
        ctx=manager_a, name="Gloves", quantity=5, department="Lab", category="PPE", barcode="42"
    )
    invite = people.create_invite(ctx=admin_a)
    person = people.create_user(ctx=admin_a, username="acme-person", password=TEST_PASSWORD)
    return {
        "item": added.item_id,
        "department": added.department_id,
        "category": catalog.list_categories(ctx=manager_a)[0].id,
        "invite": invite.id,
        "user": person.id,
    }


CROSS_TENANT_CALLS = {
    "read item": lambda c, t: catalog.get_item(ctx=c, item_id=t["item"]),
    "edit item": lambda c, t: catalog.update_item(ctx=c, item_id=t["item"], name="Mine"),
    "barcode lookup": lambda c, t: catalog.lookup_barcode(ctx=c, barcode="42"),
    "item history": lambda c, t: audit.item_history(ctx=c, item_id=t["item"]),
    "issue": lambda c, t: stock.issue_stock(ctx=c, item=t["item"], quantity=1),
    "restock": lambda c, t: stock.restock(ctx=c, item=t["item"], quantity=1),
    "threshold": lambda c, t: stock.set_threshold(ctx=c, item=t["item"], threshold=1),
    "issue from department": lambda c, t: stock.issue_stock(
        ctx=c, item="Gloves", quantity=1, department=t["department"]
    ),
    "rename department": lambda c, t: catalog.rename_department(
        ctx=c, department_id=t["department"], name="Mine"
    ),
    "delete department": lambda c, t: catalog.delete_department(
        ctx=c, department_id=t["department"]
    ),
    "rename category": lambda c, t: catalog.rename_category(
        ctx=c, category_id=t["category"], name="Mine"
    ),
    "delete category": lambda c, t: catalog.delete_category(ctx=c, category_id=t["category"]),
    "revoke invite": lambda c, t: people.revoke_invite(ctx=c, invite_id=t["invite"]),
    "update user": lambda c, t: people.update_user(ctx=c, user_id=t["user"], role=Role.ADMIN),
    "user into foreign department": lambda c, t: people.create_user(
        ctx=c, username="intruder", password=TEST_PASSWORD, department_id=t["department"]
    ),
}


@pytest.mark.parametrize("call", CROSS_TENANT_CALLS.values(), ids=CROSS_TENANT_CALLS.keys())
def test_other_tenant_gets_not_found(
    call, acme_things: dict[str, int], admin_b: Context, manager_a: Context, admin_a: Context
):
    before = (list_stock(ctx=manager_a).items, people.list_users(ctx=admin_a))
    with pytest.raises(NotFound):
        call(admin_b, acme_things)
    assert (list_stock(ctx=manager_a).items, people.list_users(ctx=admin_a)) == before


def test_other_tenant_lists_are_empty(acme_things: dict[str, int], admin_b: Context):
    assert list_stock(ctx=admin_b).total == 0
    assert [d.name for d in catalog.list_departments(ctx=admin_b)] == ["General"]
    assert catalog.list_categories(ctx=admin_b) == []
    assert audit.latest(ctx=admin_b).total == 0
    assert [u.username for u in people.list_users(ctx=admin_b)] == ["admin-2"]
    assert people.list_invites(ctx=admin_b) == []
