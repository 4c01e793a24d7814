"""Bad input is a 422 with a readable detail; oversized bodies are refused before parsing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from stock_saas.api.middleware import MAX_BODY_BYTES
from stock_saas.services import stock
from stock_saas.services.core import Context
from stock_saas.services.stock import list_stock

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_limit_above_the_page_bound_is_422(client: TestClient, user_a: Context, auth: Auth):
    response = client.get(
        "/api/items", params={"tenant_id": user_a.tenant_id, "limit": 501}, headers=auth(user_a)
    )
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]


def test_audit_limit_above_the_bound_is_422(client: TestClient, admin_a: Context, auth: Auth):
    response = client.get(
        "/api/audit/logs",
        params={"tenant_id": admin_a.tenant_id, "limit": 1001},
        headers=auth(admin_a),
    )
    assert response.status_code == 422


def test_tenant_data_without_tenant_id_is_422(client: TestClient, user_a: Context, auth: Auth):
    response = client.get("/api/items", headers=auth(user_a))
    assert response.status_code == 422
    assert "tenant_id" in response.json()["detail"]


def test_post_without_tenant_id_in_the_body_is_422(
    client: TestClient, manager_a: Context, auth: Auth
):
    response = client.post(
        "/api/items/add", json={"name": "Gloves", "quantity": 1}, headers=auth(manager_a)
    )
    assert response.status_code == 422
    assert list_stock(ctx=manager_a).total == 0


def test_body_over_64_kib_is_413(client: TestClient, manager_a: Context, auth: Auth):
    body = {"tenant_id": manager_a.tenant_id, "name": "G", "quantity": 1, "note": "x" * 70_000}
    response = client.post("/api/items/add", json=body, headers=auth(manager_a))
    assert response.status_code == 413
    assert list_stock(ctx=manager_a).total == 0


def test_chunked_body_over_64_kib_is_413(client: TestClient, manager_a: Context, auth: Auth):
    def chunks() -> Iterator[bytes]:
        yield b'{"note": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"x" * 1024
        yield b'"}'

    headers = {**auth(manager_a), "Content-Type": "application/json"}
    response = client.post("/api/items/add", content=chunks(), headers=headers)
    assert response.status_code == 413


def test_overlong_name_is_422(client: TestClient, manager_a: Context, auth: Auth):
    body = {"tenant_id": manager_a.tenant_id, "name": "G" * 121, "quantity": 1}
    response = client.post("/api/items/add", json=body, headers=auth(manager_a))
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


def test_nul_character_is_422_not_a_server_error(client: TestClient, user_a: Context, auth: Auth):
    response = client.get(
        "/api/items", params={"tenant_id": user_a.tenant_id, "q": "a\x00b"}, headers=auth(user_a)
    )
    assert response.status_code == 422


def test_id_beyond_bigint_is_422(client: TestClient, user_a: Context, auth: Auth):
    response = client.get(
        f"/api/items/{2**63}", params={"tenant_id": user_a.tenant_id}, headers=auth(user_a)
    )
    assert response.status_code == 422


def test_issue_needs_exactly_one_of_name_and_item_id(
    client: TestClient, user_a: Context, manager_a: Context, auth: Auth
):
    change = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    body = {"tenant_id": user_a.tenant_id, "name": "Gloves", "item_id": change.item_id}
    response = client.post("/api/items/issue", json={**body, "quantity": 1}, headers=auth(user_a))
    assert response.status_code == 422
    assert list_stock(ctx=user_a).items[0].quantity == 5


def test_unparsable_json_is_422(client: TestClient, manager_a: Context, auth: Auth):
    headers = {**auth(manager_a), "Content-Type": "application/json"}
    response = client.post("/api/items/add", content=b"{not json", headers=headers)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_issuing_more_than_stock_is_409_and_changes_nothing(
    client: TestClient, user_a: Context, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    body = {"tenant_id": user_a.tenant_id, "name": "Gloves", "quantity": 6}
    response = client.post("/api/items/issue", json=body, headers=auth(user_a))
    assert response.status_code == 409
    assert "Only 5" in response.json()["detail"]
    assert list_stock(ctx=user_a).items[0].quantity == 5
