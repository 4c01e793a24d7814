"""Methods and links as the OpenAPI description states them: 405 with ``Allow`` for a
method a path does not declare (static paths before templated ones), 204 with ``Allow``
for OPTIONS, CORS preflights left to CORS, and links from every create to its object.

No database: the method guard answers before any route (and before the token check).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.api.app import create_app
from stock_saas.api.links import LINKS, Link, add_links
from stock_saas.config import get_settings


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused-by-these-tests.db")  # CORS: any origin
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client
    get_settings.cache_clear()


def test_a_static_path_is_not_swallowed_by_a_templated_one(api: TestClient) -> None:
    response = api.patch("/api/items/add", json={"name": "Gloves"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST, OPTIONS"
    assert response.json() == {"detail": "Method Not Allowed"}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/departments", "GET, POST, OPTIONS"),
        ("GET", "/api/departments/7", "DELETE, PATCH, OPTIONS"),
        ("DELETE", "/api/users/me", "PATCH, OPTIONS"),
        ("DELETE", "/api/users/me/two-factor", "GET, POST, OPTIONS"),
        ("HEAD", "/api/items/lookup", "GET, OPTIONS"),
    ],
)
def test_an_undeclared_method_is_405_with_the_paths_methods(
    api: TestClient, method: str, path: str, allow: str
) -> None:
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


def test_options_is_204_with_allow(api: TestClient) -> None:
    response = api.options("/api/webhooks/3")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, PATCH, OPTIONS"
    assert response.content == b""


def test_a_declared_method_still_reaches_its_route(api: TestClient) -> None:
    # The route's own answer (no token: 401), not the guard's.
    assert api.patch("/api/items/5", json={}).status_code == 401
    assert api.get("/api/items/lookup", params={"barcode": "1"}).status_code == 401


def test_paths_the_schema_does_not_have_stay_404(api: TestClient) -> None:
    assert api.patch("/api/nothing/here").status_code == 404


def test_a_cors_preflight_is_answered_by_cors(api: TestClient) -> None:
    response = api.options(
        "/api/departments",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "allow" not in response.headers


def _links(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for response in operation["responses"].values():
                found.update(
                    {
                        (f"{method.upper()} {path}", n): v
                        for n, v in response.get("links", {}).items()
                    }
                )
    return found


def test_every_create_links_its_id_to_the_calls_on_it(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    links = _links(schema)
    operation_ids = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert len(links) == len(LINKS)
    for link in links.values():
        assert link["operationId"] in operation_ids
    department = links[("POST /api/departments", "delete_departments_department_id")]
    assert department["parameters"] == {
        "department_id": "$response.body#/id",
        "tenant_id": "$request.body#/tenant_id",
    }
    item = links[("POST /api/items/add", "get_items_item_id")]
    assert item["parameters"]["item_id"] == "$response.body#/item_id"


def test_a_link_to_a_missing_route_fails_at_start_up(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    with pytest.raises(LookupError, match=r"GET /api/departments/\{department_id\}"):
        add_links(
            schema,
            [Link("POST /api/departments", 201, "GET /api/departments/{department_id}", "x")],
        )
