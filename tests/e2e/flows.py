"""Steps the browser tests share: sign-up, sign-in, and driving the dashboard's dialogs."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import urlparse

import httpx
from playwright.sync_api import Locator, Page, expect

PASSWORD = "e2e-correct-horse"

__all__ = [
    "PASSWORD",
    "add_department",
    "add_item",
    "api_items",
    "api_token",
    "expect_same_as_fresh_load",
    "form_payload",
    "open_row_action",
    "register_organisation",
    "row",
    "send_forged_event",
    "sign_in",
    "unique",
]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def register_organisation(page: Page, organisation: str, username: str) -> None:
    page.goto("/register")
    page.fill("#organisation", organisation)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.click("#register")
    page.wait_for_url(re.compile(r"/login/?$"))
    expect(page.locator("#login-notice")).to_contain_text(username)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("#signed-in-user")).to_have_text(username)


def add_department(page: Page, name: str) -> None:
    page.click("#add-department")
    page.fill("#department-name", name)
    page.keyboard.press("Enter")
    expect(page.locator("#departments")).to_contain_text(name)


def add_item(
    page: Page,
    name: str,
    quantity: int,
    threshold: int,
    *,
    department: str | None = None,
    category: str | None = None,
    barcode: str = "",
) -> None:
    page.click("#add-item")
    dialog = page.get_by_role("dialog")
    dialog.locator("#item-name").fill(name)
    dialog.locator("#quantity").fill(str(quantity))
    dialog.locator("#threshold").fill(str(threshold))
    if department:
        dialog.locator("#department_id").select_option(label=department)
    if category:
        dialog.locator("#category_id").select_option(label=category)
    if barcode:
        dialog.locator("#barcode").fill(barcode)
    dialog.locator(".dialog-submit").click()
    expect(dialog).to_have_count(0)
    expect(row(page, name, department).first).to_be_visible()


def row(page: Page, name: str, department: str | None = None) -> Locator:
    rows = page.locator(f'.stock-row[data-item="{name}"]')
    if department:
        rows = rows.filter(has=page.get_by_role("cell", name=department, exact=True))
    return rows


def open_row_action(page: Page, name: str, action: str, department: str | None = None) -> Locator:
    row(page, name, department).get_by_role("button", name="Actions").click()
    page.get_by_role("menuitem", name=action, exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


# What a person reads on the dashboard: the sidebar's counts and badges, the table, the pager.
DASHBOARD_TEXT = ("#departments", "#stock-table", "#stock-table-range")


def expect_same_as_fresh_load(page: Page) -> None:
    """The dashboard in ``page`` comes to show exactly what a fresh load of its URL shows."""
    fresh = page.context.new_page()
    fresh.goto(page.url)
    expect(fresh.locator("#stock-table")).to_be_visible()
    for selector in DASHBOARD_TEXT:
        seen = fresh.locator(selector).inner_text()
        expect(page.locator(selector)).to_have_text(seen, use_inner_text=True)
    fresh.close()


def api_token(base_url: str, username: str, password: str = PASSWORD) -> tuple[str, int]:
    """A bearer token and the tenant id, from the REST API of the same app."""
    response = httpx.post(
        f"{base_url}/api/token", data={"username": username, "password": password}, timeout=30
    )
    response.raise_for_status()
    token = response.json()["access_token"]
    me = httpx.get(f"{base_url}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    me.raise_for_status()
    return token, int(me.json()["tenant_id"])


def add_person(base_url: str, admin: str, role: str) -> str:
    """A new member of ``admin``'s organisation with ``role``, made through the REST API;
    their username (the password is PASSWORD)."""
    token, tenant_id = api_token(base_url, admin)
    username = unique(role)
    response = httpx.post(
        f"{base_url}/api/users",
        json={"username": username, "password": PASSWORD, "role": role, "tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return username


def send_forged_event(page: Page, state: str, handler: str, payload: dict[str, Any]) -> None:
    """Send an event straight over this page's Reflex websocket, naming any handler.

    ``state`` is the full name of a state class (``SomeState.get_full_name()``). The
    frame is built from a real one the page sent: what a hostile client can do without
    any UI.
    """
    # After a navigation the page has to hydrate (its first event) before there is a frame
    # to copy; on a loaded machine that takes a moment.
    page.wait_for_function(
        """() => (window.__rxSent || []).some(f => f.includes('["event",'))
            && (window.__rxSockets || []).some(s => s.readyState === 1)"""
    )
    frames: list[str] = page.evaluate("window.__rxSent")
    template = next(f for f in reversed(frames) if '["event",' in f)
    prefix, body = template[: template.index("[")], json.loads(template[template.index("[") :])
    event = body[1]
    event["name"] = f"{state}.{handler}"
    event["payload"] = payload
    page.evaluate(
        "([frame]) => window.__rxSockets.filter(s => s.readyState === 1).at(-1).send(frame)",
        [prefix + json.dumps(["event", event])],
    )


def form_payload(**fields: str) -> dict[str, Any]:
    """The payload Reflex sends for a form submission."""
    return {"form": {"__reflex_form_data__": [[k, v] for k, v in fields.items()]}}


def api_items(base_url: str, token: str, tenant_id: int, q: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{base_url}/api/items",
        params={"q": q, "tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json()["items"])
