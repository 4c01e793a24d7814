"""Items and stock through HTTP: the listing's contract fields, filters and paging,
movements, lookup and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")

CONTRACT_FIELDS = {
    "item_id",
    "name",
    "barcode",
    "category",
    "department_id",
    "department",
    "quantity",
    "threshold",
    "low",
}


@pytest.fixture
def stocked(manager_a: Context) -> None:
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5, threshold=10, barcode="111")
    stock.add_stock(ctx=manager_a, name="Gauze", quantity=50, threshold=10, department="Lab")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=7, category="PPE")


def _list(client: TestClient, ctx: Context, auth: Auth, **params: Any) -> dict[str, Any]:
    response = client.get(
        "/api/items", params={"tenant_id": ctx.tenant_id, **params}, headers=auth(ctx)
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.usefixtures("stocked")
def test_list_rows_carry_the_contract_fields(client: TestClient, user_a: Context, auth: Auth):
    page = _list(client, user_a, auth)
    assert page["total"] == 3
    assert set(page["items"][0]) >= CONTRACT_FIELDS


@pytest.mark.usefixtures("stocked")
def test_list_searches_by_name_prefix(client: TestClient, user_a: Context, auth: Auth):
    page = _list(client, user_a, auth, q="ga")
    assert [row["name"] for row in page["items"]] == ["Gauze"]


@pytest.mark.usefixtures("stocked")
def test_list_filters_low_stock(client: TestClient, user_a: Context, auth: Auth):
    page = _list(client, user_a, auth, low="true")
    assert [(row["name"], row["low"]) for row in page["items"]] == [("Gloves", True)]


@pytest.mark.usefixtures("stocked")
def test_list_pages_keep_the_total(client: TestClient, user_a: Context, auth: Auth):
    page = _list(client, user_a, auth, limit=1, offset=1)
    assert (len(page["items"]), page["total"], page["items"][0]["name"]) == (1, 3, "Gloves")


@pytest.mark.usefixtures("stocked")
def test_transfer_moves_units_between_departments(
    client: TestClient, manager_a: Context, auth: Auth
):
    body = {
        "tenant_id": manager_a.tenant_id,
        "name": "Gauze",
        "quantity": 20,
        "from_department": "Lab",
        "to_department": "General",
    }
    response = client.post("/api/items/transfer", json=body, headers=auth(manager_a))
    assert response.status_code == 200, response.text
    moved = response.json()
    assert (moved["source"]["quantity"], moved["destination"]["quantity"]) == (30, 20)


@pytest.mark.usefixtures("stocked")
def test_return_adds_units_back(client: TestClient, user_a: Context, auth: Auth):
    body = {"tenant_id": user_a.tenant_id, "name": "Masks", "quantity": 3}
    assert client.post("/api/items/issue", json=body, headers=auth(user_a)).status_code == 200
    response = client.post("/api/items/return", json=body, headers=auth(user_a))
    assert response.json()["quantity"] == 7


@pytest.mark.usefixtures("stocked")
def test_lookup_finds_the_item_by_barcode(client: TestClient, user_a: Context, auth: Auth):
    response = client.get(
        "/api/items/lookup",
        params={"tenant_id": user_a.tenant_id, "barcode": "111"},
        headers=auth(user_a),
    )
    assert response.json()["name"] == "Gloves"


def test_history_lists_an_items_movements_newest_first(
    client: TestClient, manager_a: Context, user_a: Context, auth: Auth
):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=2)
    response = client.get(
        f"/api/items/{added.item_id}/history",
        params={"tenant_id": user_a.tenant_id},
        headers=auth(user_a),
    )
    entries = response.json()["entries"]
    assert [(e["action"], e["delta"], e["source"]) for e in entries] == [
        ("issue", -2, "api"),
        ("add", 5, "api"),
    ]


@pytest.mark.usefixtures("stocked")
def test_status_counts_low_levels(client: TestClient, user_a: Context, auth: Auth):
    response = client.get(
        "/api/status", params={"tenant_id": user_a.tenant_id}, headers=auth(user_a)
    )
    report = response.json()
    assert (report["total"], report["low_count"]) == (3, 1)


@pytest.mark.usefixtures("stocked")
def test_patch_item_clears_its_barcode(client: TestClient, manager_a: Context, auth: Auth):
    item_id = _list(client, manager_a, auth, q="111")["items"][0]["item_id"]
    response = client.patch(
        f"/api/items/{item_id}",
        params={"tenant_id": manager_a.tenant_id},
        json={"barcode": None},
        headers=auth(manager_a),
    )
    assert response.json()["barcode"] is None
