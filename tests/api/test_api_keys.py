"""API keys over HTTP: made once, used as Bearer, audited as key:<name>, revoked, expired,
rate limited per key, and never shown again (responses, logs, database)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlmodel import col

from stock_saas import db
from stock_saas.models import ApiKey
from stock_saas.services import keys, stock
from stock_saas.services.core import Context, utcnow

Auth = Callable[[Context], dict[str, str]]


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _make(client: TestClient, admin: Context, auth: Auth, **body: object) -> dict[str, object]:
    response = client.post(
        "/api/keys", json={"tenant_id": admin.tenant_id, **body}, headers=auth(admin)
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_key_is_shown_once_and_nowhere_else(
    client: TestClient,
    admin_a: Context,
    auth: Auth,
    cheap_hashing: None,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    made = _make(client, admin_a, auth, name="erp", role="manager", expires_in_days=30)
    key = str(made["key"])
    assert set(made) >= {"id", "name", "prefix", "key"}
    assert key.startswith(str(made["prefix"]) + "_")
    seen = [
        client.get("/api/keys", params={"tenant_id": admin_a.tenant_id}, headers=auth(admin_a)),
        client.get("/api/status", params={"tenant_id": admin_a.tenant_id}, headers=_bearer(key)),
        client.get("/api/keys", params={"tenant_id": admin_a.tenant_id}, headers=_bearer(key)),
        client.get("/api/nothing-here", headers=_bearer(key)),
    ]
    listed = seen[0].json()
    assert [(k["name"], k["role"], k["status"]) for k in listed] == [("erp", "manager", "active")]
    assert listed[0]["prefix"] == made["prefix"] and listed[0]["created_by"] == "admin-1"
    secret = key.split("_", 2)[2]
    for response in seen:
        assert secret not in response.text and secret not in str(response.headers)
    assert secret not in caplog.text
    with db.get_engine().connect() as connection:
        tables = [r[0] for r in connection.execute(text(_TABLES[connection.dialect.name]))]
        for table in tables:
            dump = " ".join(str(r) for r in connection.execute(text(f'SELECT * FROM "{table}"')))
            assert secret not in dump, table


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def test_changes_made_with_a_key_are_audited_as_the_key(
    client: TestClient, admin_a: Context, manager_a: Context, auth: Auth, cheap_hashing: None
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    key = str(_make(client, admin_a, auth, name="ward robot", role="user")["key"])
    issued = client.post(
        "/api/items/issue",
        json={"tenant_id": admin_a.tenant_id, "name": "Gloves", "quantity": 2},
        headers=_bearer(key),
    )
    assert issued.status_code == 200, issued.text
    logs = client.get(
        "/api/audit/logs", params={"tenant_id": admin_a.tenant_id}, headers=auth(admin_a)
    ).json()["entries"]
    newest = logs[0]
    assert (newest["action"], newest["source"], newest["actor_name"], newest["actor_id"]) == (
        "issue",
        "api",
        "key:ward robot",
        None,
    )


def test_revoked_and_expired_keys_get_401(
    client: TestClient, admin_a: Context, auth: Auth, cheap_hashing: None
):
    params = {"tenant_id": admin_a.tenant_id}
    revoked = _make(client, admin_a, auth, name="old")
    expired = _make(client, admin_a, auth, name="short", expires_in_days=1)
    for made in (revoked, expired):
        ok = client.get("/api/items", params=params, headers=_bearer(str(made["key"])))
        assert ok.status_code == 200, ok.text
    gone = client.delete(f"/api/keys/{revoked['id']}", params=params, headers=auth(admin_a))
    assert gone.status_code == 204, gone.text
    with db.write_session() as session:
        session.execute(
            update(ApiKey)
            .where(col(ApiKey.id) == expired["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    for made in (revoked, expired):
        refused = client.get("/api/items", params=params, headers=_bearer(str(made["key"])))
        assert refused.status_code == 401, refused.text
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["detail"] == keys.INVALID_KEY
    statuses = client.get("/api/keys", params=params, headers=auth(admin_a)).json()
    assert {k["name"]: (k["status"], k["revoked"]) for k in statuses} == {
        "old": ("revoked", True),
        "short": ("expired", False),
    }


def test_a_key_of_another_tenant_is_refused_on_yours(
    client: TestClient, admin_a: Context, admin_b: Context, auth: Auth, cheap_hashing: None
):
    key_b = str(_make(client, admin_b, auth, name="b robot", role="admin")["key"])
    response = client.get(
        "/api/items", params={"tenant_id": admin_a.tenant_id}, headers=_bearer(key_b)
    )
    assert response.status_code == 403, response.text
    mine = client.get("/api/items", params={"tenant_id": admin_b.tenant_id}, headers=_bearer(key_b))
    assert mine.status_code == 200, mine.text


def test_a_keys_role_is_checked_like_a_persons(
    client: TestClient, admin_a: Context, auth: Auth, cheap_hashing: None
):
    key = str(_make(client, admin_a, auth, name="reader", role="user")["key"])
    response = client.post(
        "/api/departments",
        json={"tenant_id": admin_a.tenant_id, "name": "Annex"},
        headers=_bearer(key),
    )
    assert response.status_code == 403, response.text


def test_the_601st_request_in_a_minute_gets_429_and_other_keys_go_on(
    client: TestClient,
    admin_a: Context,
    admin_b: Context,
    auth: Auth,
    cheap_hashing: None,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.delenv("REDIS_URL", raising=False)
    busy = str(_make(client, admin_a, auth, name="busy")["key"])
    neighbour = str(_make(client, admin_a, auth, name="neighbour")["key"])
    stranger = str(_make(client, admin_b, auth, name="stranger")["key"])
    params_a = {"tenant_id": admin_a.tenant_id}
    codes = [
        client.get("/api/departments", params=params_a, headers=_bearer(busy)).status_code
        for _ in range(601)
    ]
    assert codes[:600] == [200] * 600
    assert codes[600] == 429
    refused = client.get("/api/departments", params=params_a, headers=_bearer(busy))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "600 requests" in refused.json()["detail"]
    # Another key of the tenant, another tenant's key and the admin's token are untouched.
    assert client.get("/api/departments", params=params_a, headers=_bearer(neighbour)).is_success
    assert client.get(
        "/api/departments", params={"tenant_id": admin_b.tenant_id}, headers=_bearer(stranger)
    ).is_success
    assert client.get("/api/departments", params=params_a, headers=auth(admin_a)).is_success


def test_a_key_has_no_profile_and_cannot_make_keys(
    client: TestClient, admin_a: Context, auth: Auth, cheap_hashing: None
):
    key = str(_make(client, admin_a, auth, name="admin robot", role="admin")["key"])
    me = client.get("/api/me", headers=_bearer(key))
    assert me.status_code == 403 and "not a person" in me.json()["detail"]
    made = client.post(
        "/api/keys", json={"tenant_id": admin_a.tenant_id, "name": "x"}, headers=_bearer(key)
    )
    assert made.status_code == 403, made.text


def test_bad_key_bodies_are_422_and_make_nothing(
    client: TestClient, admin_a: Context, auth: Auth, cheap_hashing: None
):
    params = {"tenant_id": admin_a.tenant_id}
    for body in (
        {"name": ""},
        {"name": "x", "role": "owner"},
        {"name": "x", "expires_in_days": 0},
        {"name": "x", "tenant_id": admin_a.tenant_id, "id": 5},
        {"name": "x" * 61},
    ):
        response = client.post(
            "/api/keys", json={"tenant_id": admin_a.tenant_id, **body}, headers=auth(admin_a)
        )
        assert response.status_code == 422, (body, response.text)
    assert client.get("/api/keys", params=params, headers=auth(admin_a)).json() == []
