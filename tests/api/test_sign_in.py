"""POST /api/token: sign-in, enumeration resistance and the per-address rate limit
(shared via the DB); the per-username rules are in tests/services/people/test_throttle.py
and, with many addresses through a trusted proxy, tests/api/test_lockout.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.db import write_session
from stock_saas.models import LoginAttempt
from stock_saas.models._columns import utcnow
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD


def _sign_in(client: TestClient, username: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/token", data={"username": username, "password": password})


@pytest.fixture
def low_limit(monkeypatch: pytest.MonkeyPatch, key_store: object) -> int:
    """Three failures per address an hour instead of 100, so the limit is reached quickly."""
    monkeypatch.setenv("LOGIN_MAX_FAILURES", "3")
    get_settings.cache_clear()
    return 3


def test_valid_credentials_give_a_bearer_token_that_works(client: TestClient, user_a: Context):
    response = _sign_in(client, user_a.actor_name)
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    token = response.json()["access_token"]
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == user_a.actor_name


def test_unknown_user_and_wrong_password_look_the_same(client: TestClient, user_a: Context):
    unknown = _sign_in(client, "nobody-here")
    wrong = _sign_in(client, user_a.actor_name, "wrong-password")
    assert (
        (unknown.status_code, unknown.json())
        == (wrong.status_code, wrong.json())
        == (
            401,
            {"detail": "Incorrect username or password."},
        )
    )


def test_failures_past_the_limit_get_429_with_retry_after(
    client: TestClient, user_a: Context, low_limit: int
):
    for _ in range(low_limit):
        assert _sign_in(client, user_a.actor_name, "wrong-password").status_code == 401
    locked = _sign_in(client, user_a.actor_name)  # even the right password now
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


def test_limit_per_client_address_spans_usernames(client: TestClient, low_limit: int):
    for n in range(low_limit):
        assert _sign_in(client, f"guess-{n}", "wrong-password").status_code == 401
    assert _sign_in(client, "guess-new", "wrong-password").status_code == 429


def test_limit_is_shared_by_every_worker(key_store: object, user_a: Context, low_limit: int):
    # Two app instances stand for two worker processes: the count lives in the database.
    with TestClient(create_app()) as first, TestClient(create_app()) as second:
        for _ in range(low_limit):
            _sign_in(first, user_a.actor_name, "wrong-password")
        assert _sign_in(second, user_a.actor_name).status_code == 429


def test_the_101st_failed_sign_in_from_one_address_within_an_hour_is_429(
    client: TestClient, user_a: Context
):
    # Default settings. 99 earlier failures of this address (TestClient's peer is
    # "testclient") are inserted directly; the 100th is real and still answered 401.
    assert get_settings().login_max_failures == 100
    with write_session() as session:
        for _ in range(99):
            session.add(
                LoginAttempt(key="ip:testclient", created_at=utcnow() - timedelta(minutes=30))
            )
    assert _sign_in(client, "someone-else", "wrong-password").status_code == 401
    assert _sign_in(client, user_a.actor_name, "wrong-password").status_code == 429


def test_failures_older_than_the_window_do_not_count(client: TestClient, user_a: Context):
    name = user_a.actor_name.lower()
    with write_session() as session:
        for key in ("ip:testclient", f"pair:{name}|testclient", f"user:{name}"):
            for _ in range(100):
                session.add(LoginAttempt(key=key, created_at=utcnow() - timedelta(hours=2)))
    assert _sign_in(client, user_a.actor_name).status_code == 200


def test_missing_form_fields_are_422(client: TestClient, database: str):
    response = client.post("/api/token", data={"username": "someone"})
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)
