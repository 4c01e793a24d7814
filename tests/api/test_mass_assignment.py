"""Bodies carrying id, tenant_id or role where they do not belong change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import catalog, people, stock
from stock_saas.services.core import Context, Role
from stock_saas.services.stock import list_stock
from tests.conftest import TEST_PASSWORD

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_user_cannot_promote_themselves_via_users_me(
    client: TestClient, user_a: Context, admin_a: Context, auth: Auth
):
    response = client.patch("/api/users/me", json={"role": "admin"}, headers=auth(user_a))
    assert response.status_code == 422
    assert people.get_me(ctx=user_a).role == "user"


def test_user_cannot_move_themselves_to_another_tenant(
    client: TestClient, user_a: Context, admin_b: Context, auth: Auth
):
    # tenant_id may travel in any body, but only ever names the caller's own tenant.
    response = client.patch(
        "/api/users/me", json={"tenant_id": admin_b.tenant_id}, headers=auth(user_a)
    )
    assert response.status_code == 403
    assert people.get_me(ctx=user_a).tenant_id == user_a.tenant_id


def test_sign_up_cannot_choose_its_role(client: TestClient, admin_a: Context, auth: Auth):
    invite = client.post(
        "/api/users/invites",
        json={"tenant_id": admin_a.tenant_id, "role": "user"},
        headers=auth(admin_a),
    ).json()
    body = {
        "username": "mallory",
        "password": TEST_PASSWORD,
        "invite_code": invite["code"],
        "role": "admin",
    }
    assert client.post("/api/auth/register", json=body).status_code == 422
    del body["role"]
    joined = client.post("/api/auth/register", json=body)  # the invite was not used up
    assert (joined.status_code, joined.json()["role"]) == (201, "user")


def test_sign_up_cannot_pick_another_tenants_department(
    client: TestClient, admin_a: Context, manager_b: Context, auth: Auth
):
    theirs = catalog.create_department(ctx=manager_b, name="Their Lab")
    code = client.post(
        "/api/users/invites", json={"tenant_id": admin_a.tenant_id}, headers=auth(admin_a)
    ).json()["code"]
    body = {
        "username": "mallory",
        "password": TEST_PASSWORD,
        "invite_code": code,
        "department_id": theirs.id,
    }
    # Another tenant's department is not one the invite offers: 404, like any object not yours.
    assert client.post("/api/auth/register", json=body).status_code == 404
    assert "mallory" not in [u.username for u in people.list_users(ctx=admin_a)]


def test_create_user_with_an_id_is_refused(client: TestClient, admin_a: Context, auth: Auth):
    body = {
        "tenant_id": admin_a.tenant_id,
        "id": 1,
        "username": "newbie",
        "password": TEST_PASSWORD,
    }
    response = client.post("/api/users", json=body, headers=auth(admin_a))
    assert response.status_code == 422
    assert "newbie" not in [u.username for u in people.list_users(ctx=admin_a)]


def test_admin_cannot_put_a_user_in_another_tenants_department(
    client: TestClient, admin_a: Context, user_a: Context, manager_b: Context, auth: Auth
):
    theirs = catalog.create_department(ctx=manager_b, name="Their Lab")
    response = client.patch(
        f"/api/users/{user_a.user_id}",
        params={"tenant_id": admin_a.tenant_id},
        json={"department_id": theirs.id},
        headers=auth(admin_a),
    )
    assert response.status_code == 404
    assert people.get_me(ctx=user_a).department_id is None


def test_admin_cannot_change_another_tenants_user(
    client: TestClient, admin_a: Context, manager_b: Context, auth: Auth
):
    response = client.patch(
        f"/api/users/{manager_b.user_id}",
        params={"tenant_id": admin_a.tenant_id},
        json={"role": "user", "is_active": False},
        headers=auth(admin_a),
    )
    assert response.status_code == 404
    me = people.get_me(ctx=manager_b)
    assert (me.role, me.is_active) == (Role.MANAGER.value, True)


def test_issue_by_item_id_of_another_tenant_changes_nothing(
    client: TestClient, manager_a: Context, manager_b: Context, auth: Auth
):
    theirs = stock.add_stock(ctx=manager_b, name="Masks", quantity=10)
    response = client.post(
        "/api/items/issue",
        json={"tenant_id": manager_a.tenant_id, "item_id": theirs.item_id, "quantity": 5},
        headers=auth(manager_a),
    )
    assert response.status_code == 404
    assert list_stock(ctx=manager_b).items[0].quantity == 10


def test_movement_body_cannot_set_the_stock_level_id(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="Masks", quantity=10)
    response = client.post(
        "/api/items/issue",
        json={
            "tenant_id": manager_a.tenant_id,
            "name": "Masks",
            "quantity": 1,
            "stock_level_id": 999,
        },
        headers=auth(manager_a),
    )
    assert response.status_code == 422
    assert list_stock(ctx=manager_a).items[0].quantity == 10
