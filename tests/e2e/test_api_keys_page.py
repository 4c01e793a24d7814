"""/settings/integrations: an admin makes a read-only key, sees it once, uses it, revokes it."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.flows import api_token, register_organisation, sign_in, unique


def test_admin_makes_a_key_sees_it_once_uses_it_and_revokes_it(
    new_context: Any, app_url: str
) -> None:
    admin = unique("keys-admin")
    page = new_context().new_page()
    register_organisation(page, unique("Keys Org"), admin)
    sign_in(page, admin)
    _, tenant_id = api_token(app_url, admin)

    page.goto("/settings/integrations")
    expect(page.get_by_role("heading", name="Integrations: API keys")).to_be_visible()
    for control in ("#key-name", "#key-role", "#key-read-only", "#key-expires"):
        assert page.evaluate(f"document.querySelector('{control}').labels.length") >= 1, control
    page.fill("#key-name", "Stock robot")
    page.locator("#key-role").select_option("manager")
    page.check("#key-read-only")
    page.fill("#key-expires", "30")
    page.click("#make-key")

    field = page.locator("#new-api-key")
    expect(field).to_have_value(re.compile(r"^ssk_[0-9a-f]{12}_\S{40,}$"))
    key = field.input_value()
    row = page.locator("#api-keys .key-row", has_text="Stock robot")
    expect(row).to_contain_text("manager (read-only)")
    expect(row.locator(".key-status")).to_have_text("active")

    bearer = {"Authorization": f"Bearer {key}"}
    params = {"tenant_id": tenant_id}
    read = httpx.get(f"{app_url}/api/items", params=params, headers=bearer, timeout=30)
    assert read.status_code == 200, read.text
    write = httpx.post(
        f"{app_url}/api/departments",
        json={"tenant_id": tenant_id, "name": "Robot room"},
        headers=bearer,
        timeout=30,
    )
    assert write.status_code == 403, write.text

    # Shown once: a fresh load has the key nowhere, only its prefix.
    page.reload()
    expect(row).to_be_visible()
    expect(page.locator("#new-api-key")).to_have_value("")
    assert key not in page.content()
    expect(row).to_contain_text(key[:16])

    row.get_by_role("button", name="Revoke key Stock robot").click()
    expect(row.locator(".key-status")).to_have_text("revoked")
    refused = httpx.get(f"{app_url}/api/items", params=params, headers=bearer, timeout=30)
    assert refused.status_code == 401, refused.text
