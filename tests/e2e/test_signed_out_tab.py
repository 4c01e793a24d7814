"""Issue 12, item 2: a signed-out tab's server state holds nothing a new socket could take.

A Reflex tab is its client token (sessionStorage); a new socket with that token hydrates
the tab's whole server state. The test plays a thief who reuses the token of an admin's
tab, with the admin's session (control: the data is there, the one-time secrets never
are), then after the admin signed out: without a session, and with the revoked one.
Everything is checked on the frames the browser received over the real websocket.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import PASSWORD, api_token, register_organisation, sign_in, unique

pytestmark = pytest.mark.e2e

SESSION_KEY = "stock_saas_session"


def _deltas(page: Page) -> str:
    """Every state delta the page received, as one JSON text (events like set_value apart)."""
    frames: list[str] = page.evaluate("window.__rxReceived")
    deltas: list[Any] = []
    for frame in frames:
        start = frame.find("[")
        if not frame.startswith("42") or start < 0:
            continue
        message = json.loads(frame[start:])
        if len(message) == 2 and isinstance(message[1], dict):
            deltas.append(message[1].get("delta"))
    return json.dumps(deltas)


def _tab_with(new_context: Any, client_token: str, session: str) -> Page:
    """A page that reuses ``client_token`` (and ``session`` as its localStorage JWT)."""
    context = new_context()
    seed = json.dumps({"token": client_token, "session": session})
    context.add_init_script(
        f"""(() => {{
          const seed = {seed};
          if (sessionStorage.getItem("__seeded")) return;
          sessionStorage.setItem("__seeded", "1");
          sessionStorage.setItem("token", seed.token);
          if (seed.session) localStorage.setItem("{SESSION_KEY}", seed.session);
        }})();"""
    )
    return context.new_page()


def _hydrated(page: Page) -> None:
    """Wait until the page's socket has delivered its first state (the hydrate)."""
    page.wait_for_function(
        "() => (window.__rxReceived || []).some(f => f.startsWith('42') && f.includes('delta'))"
    )


def test_a_reused_client_token_gets_no_secret_and_after_sign_out_nothing(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    admin, colleague = unique("admin"), unique("colleague")
    endpoint = f"https://hooks.example.test/{unique('stock')}"
    page = new_context().new_page()
    register_organisation(page, unique("Org"), admin)
    token, tenant_id = api_token(app_url, admin)
    httpx.post(
        f"{app_url}/api/users",
        json={"username": colleague, "password": PASSWORD, "role": "user", "tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).raise_for_status()
    sign_in(page, admin)
    page.goto("/users")
    expect(page.locator(".person-row", has_text=colleague)).to_be_visible()
    page.locator("#invite_role").select_option("admin")
    page.click("#create-invite")
    expect(page.locator("#invite-code")).to_have_value(re.compile(r"\S{8,}"))
    code = page.locator("#invite-code").input_value()
    page.goto("/webhooks")
    page.fill("#webhook-url", endpoint)
    page.check("#type-stock\\.low")
    page.click("#add-webhook")
    expect(page.locator("#webhook-secret")).to_have_value(re.compile(r"^whsec_"))
    secret = page.locator("#webhook-secret").input_value()
    expect(page.locator(".webhook-row", has_text=endpoint)).to_be_visible()
    client_token = page.evaluate("sessionStorage.getItem('token')")
    session = page.evaluate(f"localStorage.getItem('{SESSION_KEY}')")
    assert code not in _deltas(page) and secret not in _deltas(page)
    page.context.close()

    # With the admin's session the tab comes back (the control that the spy sees state)...
    thief = _tab_with(new_context, client_token, session)
    thief.goto("/webhooks")
    expect(thief.locator(".webhook-row", has_text=endpoint)).to_be_visible()
    seen = _deltas(thief)
    assert endpoint in seen and colleague in seen
    assert code not in seen and secret not in seen  # ...but one-time secrets never were in it
    thief.click("#signed-in-user")
    thief.click("#sign-out")
    thief.wait_for_url(re.compile(r"/login/?$"))
    thief.context.close()

    # After sign-out: the same client token, without a session and with the revoked one.
    for reused_session in ("", session):
        thief = _tab_with(new_context, client_token, reused_session)
        thief.goto("/users")
        _hydrated(thief)
        thief.wait_for_url(re.compile(r"/login/?$"))
        seen = _deltas(thief)
        for leaked in (colleague, endpoint, code, secret, admin):
            assert leaked not in seen, f"{leaked!r} reached a signed-out tab"
        thief.context.close()
    revoked = httpx.get(
        f"{app_url}/api/me", headers={"Authorization": f"Bearer {session}"}, timeout=30
    )
    assert revoked.status_code == 401
