"""Two-factor sign-in over HTTP: set it up, then POST /api/token needs ``otp``."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
from fastapi.testclient import TestClient

from stock_saas.services import people
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD

Auth = Callable[[Context], dict[str, str]]


def test_token_route_asks_for_the_code_once_two_factor_is_on(
    client: TestClient, manager_a: Context, admin_a: Context, auth: Auth
):
    started = client.post("/api/users/me/two-factor", headers=auth(manager_a))
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["qr_data_uri"].startswith("data:image/svg+xml")
    confirmed = client.post(
        "/api/users/me/two-factor/confirm",
        json={"code": pyotp.TOTP(secret).at(time.time() - 30)},
        headers=auth(manager_a),
    )
    assert confirmed.status_code == 200, confirmed.text
    assert len(confirmed.json()["codes"]) == 10
    status = client.get("/api/users/me/two-factor", headers=auth(manager_a)).json()
    assert status == {"enabled": True, "pending": False, "recovery_codes_left": 10}

    form = {"username": manager_a.actor_name, "password": TEST_PASSWORD}
    missing = client.post("/api/token", data=form)
    assert missing.status_code == 401
    assert missing.json()["detail"] == people.CODE_REQUIRED
    assert missing.headers["www-authenticate"] == "Bearer"
    signed = client.post("/api/token", data={**form, "otp": pyotp.TOTP(secret).now()})
    assert signed.status_code == 200, signed.text
    assert signed.json()["token_type"] == "bearer"

    reset = client.delete(
        f"/api/users/{manager_a.user_id}/two-factor",
        params={"tenant_id": admin_a.tenant_id},
        headers=auth(admin_a),
    )
    assert reset.status_code == 204, reset.text
    assert client.post("/api/token", data=form).status_code == 200
