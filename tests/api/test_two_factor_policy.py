"""The two-factor policy over HTTP: GET/PATCH /api/organisation, and POST /api/token for an
admin or manager who has no second factor while their organisation requires one."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
from fastapi.testclient import TestClient

from stock_saas.services import keys, people
from stock_saas.services.core import Context, Role
from tests.conftest import TEST_PASSWORD

Auth = Callable[[Context], dict[str, str]]


def _turn_on(client: TestClient, headers: dict[str, str]) -> str:
    secret = str(client.post("/api/users/me/two-factor", headers=headers).json()["secret"])
    code = pyotp.TOTP(secret).at(time.time() - 30)
    confirmed = client.post(
        "/api/users/me/two-factor/confirm", json={"code": code}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret


def _token(client: TestClient, ctx: Context, otp: str | None = None) -> tuple[int, dict[str, str]]:
    form = {"username": ctx.actor_name, "password": TEST_PASSWORD}
    answer = client.post("/api/token", data={**form, "otp": otp} if otp else form)
    return answer.status_code, answer.json()


def _policy(client: TestClient, ctx: Context, headers: dict[str, str], on: bool) -> int:
    return client.patch(
        "/api/organisation",
        params={"tenant_id": ctx.tenant_id},
        json={"require_two_factor": on},
        headers=headers,
    ).status_code


def test_an_admin_sets_the_policy_once_their_own_factor_is_on(
    client: TestClient, admin_a: Context, manager_a: Context, user_a: Context, auth: Auth
):
    read = client.get(
        "/api/organisation", params={"tenant_id": user_a.tenant_id}, headers=auth(user_a)
    )
    assert read.status_code == 200, read.text
    assert read.json()["require_two_factor"] is False
    assert read.json()["tenant_id"] == user_a.tenant_id
    assert _policy(client, manager_a, auth(manager_a), True) == 403
    refused = client.patch(
        "/api/organisation",
        params={"tenant_id": admin_a.tenant_id},
        json={"require_two_factor": True},
        headers=auth(admin_a),
    )
    assert refused.status_code == 409
    assert "your own two-factor sign-in first" in refused.json()["detail"]
    _turn_on(client, auth(admin_a))
    assert _policy(client, admin_a, auth(admin_a), True) == 200
    read = client.get(
        "/api/organisation", params={"tenant_id": user_a.tenant_id}, headers=auth(user_a)
    )
    assert read.json()["require_two_factor"] is True


def test_the_token_route_tells_an_unprotected_manager_to_set_it_up(
    client: TestClient, admin_a: Context, manager_a: Context, user_a: Context, auth: Auth
):
    manager_headers = auth(manager_a)
    assert client.get("/api/me", headers=manager_headers).status_code == 200
    key = keys.create_key(ctx=admin_a, name="robot", role=Role.ADMIN).key
    _turn_on(client, auth(admin_a))
    assert _policy(client, admin_a, auth(admin_a), True) == 200

    status, body = _token(client, manager_a)
    assert status == 403
    assert body["detail"] == people.SETUP_REQUIRED
    assert "access_token" not in body
    # Their session ended with the policy; a user's and an API key's did not.
    assert client.get("/api/me", headers=manager_headers).status_code == 401
    assert client.get("/api/me", headers=auth(user_a)).status_code == 200
    assert _token(client, user_a)[0] == 200
    as_key = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/users", params={"tenant_id": admin_a.tenant_id}, headers=as_key)
    assert listed.status_code == 200


def test_an_admin_reset_under_the_policy_sends_the_member_to_set_it_up(
    client: TestClient, admin_a: Context, manager_a: Context, auth: Auth
):
    secret = _turn_on(client, auth(manager_a))
    status, body = _token(client, manager_a, otp=pyotp.TOTP(secret).now())
    assert status == 200, body
    signed_in = {"Authorization": f"Bearer {body['access_token']}"}
    _turn_on(client, auth(admin_a))
    assert _policy(client, admin_a, auth(admin_a), True) == 200
    assert client.get("/api/me", headers=signed_in).status_code == 200  # they have one

    reset = client.delete(
        f"/api/users/{manager_a.user_id}/two-factor",
        params={"tenant_id": admin_a.tenant_id},
        headers=auth(admin_a),
    )
    assert reset.status_code == 204, reset.text
    assert client.get("/api/me", headers=signed_in).status_code == 401
    assert _token(client, manager_a) == (403, {"detail": people.SETUP_REQUIRED})

    assert _policy(client, admin_a, auth(admin_a), False) == 200
    assert _token(client, manager_a)[0] == 200  # lifted: the password alone again
