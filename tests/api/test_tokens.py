"""Token attacks (each 401) and key rotation, through the API."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from scripts.rotate_secret import main as rotate_secret
from stock_saas.config import get_settings
from stock_saas.security.secret_store import current_keys
from stock_saas.security.tokens import issue_token
from stock_saas.services.core import Context, Role
from stock_saas.services.people import update_user
from tests.api.conftest import token_for

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _claims(ctx: Context, **overrides: object) -> dict[str, object]:
    settings = get_settings()
    claims: dict[str, object] = {
        "sub": str(ctx.user_id),
        "tenant_id": ctx.tenant_id,
        "role": ctx.role.value,
        "iat": 1_700_000_000,
        "exp": 4_000_000_000,
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
    }
    claims.update(overrides)
    return claims


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _signed(claims: dict[str, object], secret: str | None = None, kid: str | None = None) -> str:
    ring = current_keys()
    kid = kid or ring.current_kid
    key = secret if secret is not None else ring.keys[kid]
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid})


def test_a_fresh_token_is_accepted(client: TestClient, user_a: Context):
    assert _me(client, token_for(user_a)) == 200


def test_no_token_is_401(client: TestClient, database: str):
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("garbage", ["not-a-token", "a.b.c", "Zm9v.YmFy.YmF6", "x" * 5000])
def test_malformed_token_is_401(client: TestClient, database: str, garbage: str):
    assert _me(client, garbage) == 401


def test_alg_none_is_401(client: TestClient, user_a: Context):
    header = {"alg": "none", "typ": "JWT", "kid": current_keys().current_kid}
    token = f"{_b64(header)}.{_b64(_claims(user_a))}."
    assert _me(client, token) == 401


def test_other_algorithm_with_the_right_key_is_401(client: TestClient, user_a: Context):
    ring = current_keys()
    token = jwt.encode(
        _claims(user_a),
        ring.keys[ring.current_kid],
        algorithm="HS512",
        headers={"kid": ring.current_kid},
    )
    assert _me(client, token) == 401


def test_wrong_key_is_401(client: TestClient, user_a: Context):
    assert _me(client, _signed(_claims(user_a), secret="guessed-" * 8)) == 401


def test_expired_token_is_401(client: TestClient, user_a: Context):
    assert _me(client, _signed(_claims(user_a, exp=1_700_000_100))) == 401


def test_wrong_audience_is_401(client: TestClient, user_a: Context):
    assert _me(client, _signed(_claims(user_a, aud="someone-else"))) == 401


def test_wrong_issuer_is_401(client: TestClient, user_a: Context):
    assert _me(client, _signed(_claims(user_a, iss="evil"))) == 401


@pytest.mark.parametrize("edit", [{"tenant_id": 999}, {"role": "admin"}, {"sub": "1"}])
def test_payload_edited_without_resigning_is_401(
    client: TestClient, user_a: Context, edit: dict[str, object]
):
    header, payload, signature = token_for(user_a).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(edit)
    assert _me(client, f"{header}.{_b64(claims)}.{signature}") == 401


def test_validly_signed_token_for_another_tenant_is_401(
    client: TestClient, user_a: Context, admin_b: Context
):
    # The tenant claim disagrees with the database: refused, never trusted.
    assert _me(client, _signed(_claims(user_a, tenant_id=admin_b.tenant_id))) == 401


def test_role_claim_is_not_trusted(client: TestClient, user_a: Context):
    token = _signed(_claims(user_a, role="admin"))
    response = client.get(
        "/api/users",
        params={"tenant_id": user_a.tenant_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403


def test_deactivated_user_loses_access_at_once(
    client: TestClient, admin_a: Context, user_a: Context
):
    token = token_for(user_a)
    assert user_a.user_id is not None
    update_user(ctx=admin_a, user_id=user_a.user_id, is_active=False)
    assert _me(client, token) == 401


def test_demoted_admin_loses_admin_routes_at_once(
    client: TestClient, admin_a: Context, manager_a: Context
):
    # A second admin so the first may be demoted.
    assert manager_a.user_id is not None and admin_a.user_id is not None
    update_user(ctx=admin_a, user_id=manager_a.user_id, role=Role.ADMIN)
    token = token_for(admin_a)
    update_user(ctx=admin_a, user_id=admin_a.user_id, role=Role.USER)
    response = client.get(
        "/api/users",
        params={"tenant_id": admin_a.tenant_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403


def test_token_of_a_removed_key_is_401(client: TestClient, user_a: Context, key_store: Path):
    token = token_for(user_a)
    old = current_keys().current_kid
    assert rotate_secret([]) == 0
    assert rotate_secret(["--drop", old]) == 0
    assert _me(client, token) == 401


def test_old_token_still_works_after_one_rotation(
    client: TestClient, user_a: Context, key_store: Path
):
    token = token_for(user_a)
    assert rotate_secret([]) == 0
    assert _me(client, token) == 200


def test_new_tokens_are_signed_with_the_new_key(
    client: TestClient, user_a: Context, key_store: Path
):
    old = current_keys().current_kid
    rotate_secret([])
    assert user_a.user_id is not None
    token = issue_token(user_id=user_a.user_id, tenant_id=user_a.tenant_id, role="user")
    assert jwt.get_unverified_header(token)["kid"] != old
    assert _me(client, token) == 200


def test_rotation_keeps_retired_keys_only_for_the_token_lifetime(
    client: TestClient, user_a: Context, key_store: Path
):
    token = token_for(user_a)
    rotate_secret(["--keep-seconds", "0"])  # retires the first key
    rotate_secret(["--keep-seconds", "0"])  # a retired key past its time is dropped
    assert _me(client, token) == 401


def test_key_store_file_is_private(client: TestClient, user_a: Context, key_store: Path):
    token_for(user_a)
    rotate_secret([])
    assert key_store.stat().st_mode & 0o077 == 0


def test_a_token_used_just_before_its_key_is_dropped_is_refused_at_once(
    client: TestClient, user_a: Context, key_store: Path
):
    token = token_for(user_a)
    assert _me(client, token) == 200  # verified once: its claims are now reused
    old = current_keys().current_kid
    assert rotate_secret([]) == 0
    assert rotate_secret(["--drop", old]) == 0
    assert _me(client, token) == 401


def test_a_token_used_just_before_it_expires_is_refused_once_expired(
    client: TestClient, user_a: Context
):
    assert user_a.user_id is not None
    token = issue_token(
        user_id=user_a.user_id, tenant_id=user_a.tenant_id, role="user", ttl_seconds=6
    )
    assert _me(client, token) == 200
    time.sleep(7.1)  # past its whole-second `exp`; not an assertion
    assert _me(client, token) == 401
