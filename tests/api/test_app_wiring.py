"""The app as a whole: docs, health, CORS and what happens when the database is down."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from stock_saas import db
from stock_saas.api.app import create_app
from stock_saas.config import get_settings


def _app_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> TestClient:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    db.dispose_engines()
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.fixture
def reset_settings():  # type: ignore[no-untyped-def]
    yield
    get_settings.cache_clear()
    db.dispose_engines()


def test_openapi_documents_bearer_auth_and_errors(client: TestClient):
    spec = client.get("/api/openapi.json").json()
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]
    issue = spec["paths"]["/api/items/issue"]["post"]
    assert {"401", "403", "409", "422"} <= set(issue["responses"])


def test_docs_are_served_under_api(client: TestClient):
    assert client.get("/api/docs").status_code == 200


def test_health_reports_the_database(client: TestClient):
    health = client.get("/api/health").json()
    assert (health["status"], health["database"]) == ("ok", "ok")


@pytest.mark.usefixtures("reset_settings")
def test_database_down_gives_503_with_a_clear_detail(monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    client = _app_with(
        monkeypatch,
        DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2",
        SECRET_STORE_FILE=str(tmp_path / "keys.json"),
    )
    health = client.get("/api/health")
    assert (health.status_code, health.json()["database"]) == (503, "error")
    sign_in = client.post("/api/token", data={"username": "alice", "password": "whatever1"})
    assert sign_in.status_code == 503
    assert "database is unavailable" in sign_in.json()["detail"]


@pytest.mark.usefixtures("reset_settings")
def test_cors_allows_any_origin_on_the_embedded_default(monkeypatch: pytest.MonkeyPatch):
    client = _app_with(monkeypatch, DATABASE_URL="sqlite:///unused.db")
    response = client.options(
        "/api/items",
        headers={"Origin": "http://elsewhere.test", "Access-Control-Request-Method": "GET"},
    )
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.usefixtures("reset_settings")
def test_cors_allows_only_the_public_origin_in_production(monkeypatch: pytest.MonkeyPatch):
    client = _app_with(
        monkeypatch,
        DATABASE_URL="postgresql://postgres@127.0.0.1/none",
        NEXT_PUBLIC_API_URL="https://stock.example.org/api",
    )
    preflight = {"Access-Control-Request-Method": "GET"}
    ours = client.options(
        "/api/items", headers={"Origin": "https://stock.example.org", **preflight}
    )
    theirs = client.options("/api/items", headers={"Origin": "https://evil.test", **preflight})
    assert ours.headers["access-control-allow-origin"] == "https://stock.example.org"
    assert "access-control-allow-origin" not in theirs.headers
