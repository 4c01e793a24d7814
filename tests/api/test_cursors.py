"""Cursor paging through HTTP: next_cursor walks GET /api/items and /api/audit/logs to
the end; an altered cursor, another tenant's, or one of other filters is a 409 that says
why; the offset parameter still works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def stocked(manager_a: Context, manager_b: Context) -> None:
    for n in range(5):
        stock.add_stock(ctx=manager_a, name=f"Item {n}", quantity=n, threshold=3)
        stock.add_stock(ctx=manager_b, name=f"Other {n}", quantity=n)


def _get(client: TestClient, path: str, ctx: Context, auth: Auth, **params: Any) -> Any:
    return client.get(path, params={"tenant_id": ctx.tenant_id, **params}, headers=auth(ctx))


def _first_cursor(client: TestClient, path: str, ctx: Context, auth: Auth, **params: Any) -> str:
    response = _get(client, path, ctx, auth, limit=2, **params)
    assert response.status_code == 200, response.text
    cursor = response.json()["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


def _walk(client: TestClient, path: str, ctx: Context, auth: Auth, **params: Any) -> list[Any]:
    """Every row of a listing, page by page, following next_cursor until it is null."""
    rows: list[Any] = []
    while True:
        body = _get(client, path, ctx, auth, limit=2, **params).json()
        rows += body["items" if path == "/api/items" else "entries"]
        if body["next_cursor"] is None:
            return rows
        params["cursor"] = body["next_cursor"]


@pytest.mark.usefixtures("stocked")
@pytest.mark.parametrize("sort", ["name", "quantity", "threshold", "department", "category"])
def test_next_cursor_walks_every_row_then_ends(
    client: TestClient, user_a: Context, auth: Auth, sort: str
):
    rows = _walk(client, "/api/items", user_a, auth, sort=sort, descending="true")
    names = [row["name"] for row in rows]
    assert sorted(names) == [f"Item {n}" for n in range(5)]


@pytest.mark.usefixtures("stocked")
def test_offset_paging_still_works(client: TestClient, user_a: Context, auth: Auth):
    body = _get(client, "/api/items", user_a, auth, limit=2, offset=4).json()
    assert ([r["name"] for r in body["items"]], body["next_cursor"]) == (["Item 4"], None)


@pytest.mark.usefixtures("stocked")
def test_altered_cursor_is_refused(client: TestClient, user_a: Context, auth: Auth):
    cursor = _first_cursor(client, "/api/items", user_a, auth)
    body, mac = cursor.split(".")
    altered = f"{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{mac}"
    response = _get(client, "/api/items", user_a, auth, limit=2, cursor=altered)
    assert response.status_code == 409
    assert "cursor is not valid" in response.json()["detail"]


@pytest.mark.usefixtures("stocked")
def test_another_tenants_cursor_is_refused(
    client: TestClient, user_a: Context, manager_b: Context, auth: Auth
):
    cursor = _first_cursor(client, "/api/items", manager_b, auth)
    response = _get(client, "/api/items", user_a, auth, limit=2, cursor=cursor)
    assert response.status_code == 409
    assert "another tenant" in response.json()["detail"]


@pytest.mark.usefixtures("stocked")
def test_cursor_of_other_filters_is_refused(client: TestClient, user_a: Context, auth: Auth):
    cursor = _first_cursor(client, "/api/items", user_a, auth)
    response = _get(client, "/api/items", user_a, auth, limit=2, low="true", cursor=cursor)
    assert response.status_code == 409
    assert "other filters or another sort" in response.json()["detail"]


@pytest.mark.usefixtures("stocked")
def test_audit_cursor_walks_and_refuses_another_tenants(
    client: TestClient, admin_a: Context, admin_b: Context, auth: Auth
):
    ids = [entry["id"] for entry in _walk(client, "/api/audit/logs", admin_a, auth)]
    assert (len(ids), ids) == (5, sorted(ids, reverse=True))
    foreign = _first_cursor(client, "/api/audit/logs", admin_b, auth)
    response = _get(client, "/api/audit/logs", admin_a, auth, limit=2, cursor=foreign)
    assert response.status_code == 409
    assert "another tenant" in response.json()["detail"]
