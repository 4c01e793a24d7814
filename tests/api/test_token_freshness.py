"""The API checks a token against the user's row at most a second old (issue 18 item 3):
a deactivation or demotion made anywhere refuses the next request once that second has
passed, and one made through this API (this process) refuses it at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.models import User
from stock_saas.services import stock
from stock_saas.services.core import Context, Role
from stock_saas.services.people.recent_users import USER_TTL

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def gloves(manager_a: Context) -> None:
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=50)


def _issue(client: TestClient, ctx: Context, headers: dict[str, str]) -> Any:
    body = {"tenant_id": ctx.tenant_id, "name": "Gloves", "quantity": 1}
    return client.post("/api/items/issue", json=body, headers=headers)


def _restock(client: TestClient, ctx: Context, headers: dict[str, str]) -> Any:
    body = {"tenant_id": ctx.tenant_id, "name": "Gloves", "quantity": 1}
    return client.post("/api/items/add", json=body, headers=headers)


def _changed_elsewhere(user_id: int | None, **values: Any) -> None:
    """What another worker or the CLI would do: an UPDATE this process never saw."""
    with write_session() as session:
        session.execute(update(User).where(col(User.id) == user_id).values(**values))


def _past_the_bound() -> None:
    time.sleep(USER_TTL + 0.05)  # not an assertion: the bound is what the test relies on


@pytest.mark.usefixtures("gloves")
def test_a_user_deactivated_elsewhere_cannot_issue_once_the_bound_has_passed(
    client: TestClient, user_a: Context, auth: Auth
):
    headers = auth(user_a)
    assert _issue(client, user_a, headers).status_code == 200

    _changed_elsewhere(user_a.user_id, is_active=False)
    _past_the_bound()

    refused = _issue(client, user_a, headers)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This account is not active."}
    assert stock.list_stock(ctx=user_a).items[0].quantity == 49


@pytest.mark.usefixtures("gloves")
def test_a_manager_demoted_elsewhere_cannot_restock_once_the_bound_has_passed(
    client: TestClient, manager_a: Context, auth: Auth
):
    headers = auth(manager_a)
    assert _restock(client, manager_a, headers).status_code == 200

    _changed_elsewhere(manager_a.user_id, role=Role.USER.value)
    _past_the_bound()

    assert _restock(client, manager_a, headers).status_code == 403
    assert _issue(client, manager_a, headers).status_code == 200  # still a user


@pytest.mark.usefixtures("gloves")
def test_a_user_deactivated_through_the_api_is_refused_on_the_next_request(
    client: TestClient, admin_a: Context, user_a: Context, auth: Auth
):
    headers = auth(user_a)
    assert _issue(client, user_a, headers).status_code == 200

    changed = client.patch(
        f"/api/users/{user_a.user_id}",
        params={"tenant_id": admin_a.tenant_id},
        json={"is_active": False},
        headers=auth(admin_a),
    )
    assert changed.status_code == 200, changed.text

    assert _issue(client, user_a, headers).status_code == 401


@pytest.mark.usefixtures("gloves")
def test_a_manager_demoted_through_the_api_cannot_restock_on_the_next_request(
    client: TestClient, admin_a: Context, manager_a: Context, auth: Auth
):
    headers = auth(manager_a)
    assert _restock(client, manager_a, headers).status_code == 200

    changed = client.patch(
        f"/api/users/{manager_a.user_id}",
        params={"tenant_id": admin_a.tenant_id},
        json={"role": "user"},
        headers=auth(admin_a),
    )
    assert changed.status_code == 200, changed.text

    assert _restock(client, manager_a, headers).status_code == 403
