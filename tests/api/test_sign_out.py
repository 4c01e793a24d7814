"""POST /api/auth/logout: signing out revokes every token of the user at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from stock_saas.security.tokens import issue_token
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _sign_in(client: TestClient, ctx: Context) -> dict[str, str]:
    response = client.post(
        "/api/token", data={"username": ctx.actor_name, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_signing_out_revokes_this_token_and_the_users_other_tokens(
    client: TestClient, user_a: Context
):
    laptop, phone = _sign_in(client, user_a), _sign_in(client, user_a)

    assert client.post("/api/auth/logout", headers=laptop).status_code == 204

    for headers in (laptop, phone):
        refused = client.get("/api/me", headers=headers)
        assert refused.status_code == 401
        assert refused.json() == {"detail": "This session has ended; sign in again."}


def test_a_new_sign_in_after_signing_out_works(client: TestClient, user_a: Context):
    client.post("/api/auth/logout", headers=_sign_in(client, user_a))

    fresh = _sign_in(client, user_a)

    assert client.get("/api/me", headers=fresh).json()["username"] == user_a.actor_name


def test_signing_out_leaves_other_people_signed_in(
    client: TestClient, user_a: Context, manager_a: Context
):
    colleague = _sign_in(client, manager_a)

    client.post("/api/auth/logout", headers=_sign_in(client, user_a))

    assert client.get("/api/me", headers=colleague).status_code == 200


def test_a_token_from_before_versions_works_until_sign_out(client: TestClient, user_a: Context):
    # Tokens issued before this release carry no `ver` claim: version 0, still valid...
    assert user_a.user_id is not None
    old = {
        "Authorization": "Bearer "
        + issue_token(user_id=user_a.user_id, tenant_id=user_a.tenant_id, role="user")
    }
    assert client.get("/api/me", headers=old).status_code == 200

    client.post("/api/auth/logout", headers=old)

    # ...and revoked like any other by signing out.
    assert client.get("/api/me", headers=old).status_code == 401


def test_a_revoked_token_cannot_sign_out_again_or_act(client: TestClient, user_a: Context):
    token = _sign_in(client, user_a)
    client.post("/api/auth/logout", headers=token)

    again = client.post("/api/auth/logout", headers=token)
    issue = client.post(
        "/api/items/issue",
        json={"tenant_id": user_a.tenant_id, "name": "Gloves", "quantity": 1},
        headers=token,
    )

    assert (again.status_code, issue.status_code) == (401, 401)


def test_sign_out_without_a_token_is_401(client: TestClient, database: str):
    assert client.post("/api/auth/logout").status_code == 401
