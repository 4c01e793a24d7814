"""Nobody can lock a person out: as many wrong passwords as the limit, each from another
address (through a trusted proxy's X-Forwarded-For, the server configured for it
explicitly), leave the owner able to sign in from their own address."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from stock_saas.config import get_settings
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD
from tests.support.api_thread import serving_api

pytestmark = pytest.mark.usefixtures("cheap_hashing")
ATTACKERS = 30


def _sign_in(api: httpx.Client, username: str, password: str, address: str) -> httpx.Response:
    return api.post(
        "/api/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_failures_from_many_addresses_cannot_lock_the_owner_out(
    key_store: Path, user_a: Context, monkeypatch: pytest.MonkeyPatch
):
    # The report: 100 failures (the limit) from 100 addresses, then the owner got 429. The
    # same with a limit of 30, to keep the test short: the old per-username count blocked
    # at LOGIN_MAX_FAILURES whatever the addresses.
    monkeypatch.setenv("LOGIN_MAX_FAILURES", str(ATTACKERS))
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")  # the test client is the proxy
    get_settings.cache_clear()
    # proxy_headers=False: the app's own rule reads the header (as under granian/Reflex).
    with serving_api(proxy_headers=False) as base, httpx.Client(base_url=base) as api:
        answers = [
            _sign_in(api, user_a.actor_name, "wrong-password", f"198.51.100.{n}").status_code
            for n in range(1, ATTACKERS + 1)
        ]
        attacker_again = _sign_in(api, user_a.actor_name, "wrong-password", "198.51.100.1")
        owner = _sign_in(api, user_a.actor_name, TEST_PASSWORD, "203.0.113.20")

    assert answers.count(401) == ATTACKERS  # each address's first try is an ordinary failure
    assert attacker_again.status_code == 429 and int(attacker_again.headers["retry-after"]) > 0
    assert owner.status_code == 200, owner.text


def test_without_a_trusted_proxy_the_header_changes_nothing(
    key_store: Path, user_a: Context, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("LOGIN_MAX_FAILURES", "3")
    get_settings.cache_clear()
    with serving_api(proxy_headers=False) as base, httpx.Client(base_url=base) as api:
        for n in range(3):  # three "addresses" that are really one: 127.0.0.1
            _sign_in(api, f"guess-{n}", "wrong-password", f"198.51.100.{n + 1}")
        blocked = _sign_in(api, user_a.actor_name, TEST_PASSWORD, "203.0.113.20")

    assert blocked.status_code == 429
