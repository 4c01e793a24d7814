"""/api/health, /api/ready, request ids and the JSON log lines (in-process, TestClient)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from stock_saas import db
from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.logging import JsonFormatter, redact
from stock_saas.migrations import head_revision
from tests.conftest import TEST_PASSWORD

SECRET_KEY = "deploy-test-secret-key-0123456789abcdef"


@pytest.fixture
def client(database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[TestClient]:
    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client
    get_settings.cache_clear()


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every record logged meanwhile, formatted as the JSON line it becomes."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_health_reports_every_backing_service(client: TestClient):
    body = client.get("/api/health").json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "redis": "disabled",
        "broker": "embedded",
        "workers": "unknown",
        "migration": {"current": head_revision(), "head": head_revision()},
    }


def test_ready_when_the_schema_is_at_head(client: TestClient):
    response = client.get("/api/ready")
    assert (response.status_code, response.json()["status"]) == (200, "ready")


def _set_revision(revision: str | None) -> None:
    with db.get_engine().begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_not_ready_when_the_schema_is_behind(client: TestClient, database: str):
    _set_revision("0001")
    try:
        response = client.get("/api/ready")
    finally:
        _set_revision(head_revision())  # the PostgreSQL database is shared by later tests
    assert (response.status_code, response.json()["migration"]) == (503, "behind")


def test_not_ready_and_degraded_when_redis_is_unreachable(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    ready = client.get("/api/ready")
    health = client.get("/api/health").json()
    assert (ready.status_code, ready.json()["redis"], health["redis"]) == (503, "error", "error")


def test_a_response_carries_a_new_request_id(client: TestClient):
    first = client.get("/api/health").headers["X-Request-ID"]
    second = client.get("/api/health").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_clients_request_id_is_kept(client: TestClient):
    response = client.get("/api/health", headers={"X-Request-ID": "lb-1234.abc"})
    assert response.headers["X-Request-ID"] == "lb-1234.abc"


def test_a_hostile_request_id_is_replaced(client: TestClient):
    response = client.get("/api/health", headers={"X-Request-ID": 'x" injected=1 ' * 3})
    assert response.headers["X-Request-ID"] != 'x" injected=1 ' * 3


def test_an_access_line_is_json_with_the_request_id(client: TestClient, log_lines: list[str]):
    client.get("/api/health", headers={"X-Request-ID": "req-42"})
    access = [json.loads(line) for line in log_lines if '"stock_saas.access"' in line]
    assert [(a["request_id"], a["path"], a["status"]) for a in access] == [
        ("req-42", "/api/health", 200)
    ]


def test_a_failed_sign_in_logs_neither_password_nor_query(client: TestClient, log_lines: list[str]):
    client.post("/api/token?token=query-secret", data={"username": "x", "password": TEST_PASSWORD})
    text = "\n".join(log_lines)
    assert '"/api/token"' in text
    assert TEST_PASSWORD not in text and "query-secret" not in text


@pytest.mark.parametrize(
    "message",
    [
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        'payload {"password": "hunter2-secret"}',
        "connect postgresql://stock:hunter2-secret@db:5432/stock failed",
        f"key is {SECRET_KEY}",
    ],
)
def test_redaction_masks_secret_shapes(message: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)
    get_settings.cache_clear()
    masked = redact(message)
    get_settings.cache_clear()
    assert "hunter2-secret" not in masked
    assert "c2lnbmF0dXJl" not in masked
    assert SECRET_KEY not in masked
    assert "[redacted]" in masked
