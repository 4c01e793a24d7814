"""Issue 18, item 7: the sign-in reads the dashboard's first page and sends it with the
redirect, and the on_load that follows sends nothing again. What the person then sees is
what a fresh load shows, it stays live from the sign-in on, and every later URL of the
dashboard (a search, a department) is read as before."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stock_saas.state.dashboard import DashboardState
from tests.e2e.flows import (
    add_department,
    add_item,
    add_person,
    expect_same_as_fresh_load,
    open_row_action,
    register_organisation,
    row,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e

# Every websocket frame the page receives, in order (installed before the page loads).
RECORD_FRAMES = """
(() => {
  window.__received = [];
  const Native = window.WebSocket;
  function Recording(...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (m) => window.__received.push(String(m.data)));
    return ws;
  }
  Recording.prototype = Native.prototype;
  Object.assign(Recording, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Recording;
})();
"""


def _updates(frames: list[str]) -> list[dict[str, Any]]:
    """Reflex's update frames (``42/_event,["event", {delta, events}]``), in order."""
    found = []
    for frame in frames:
        start = frame.find("[")
        if not frame.startswith("42") or start < 0:
            continue
        body = json.loads(frame[start:])[1]
        found.append(json.loads(body) if isinstance(body, str) else body)
    return found


def test_the_dashboard_a_sign_in_opens_is_a_fresh_load_and_stays_live(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    admin_page = new_context().new_page()
    admin = unique("admin")
    register_organisation(admin_page, unique("Org"), admin)
    sign_in(admin_page, admin)
    add_department(admin_page, "Ward B")
    add_item(admin_page, "Gauze", 50, 10)
    add_item(admin_page, "Swabs", 5, 10, department="Ward B")
    manager = add_person(app_url, admin, "manager")

    context = new_context()
    context.add_init_script(RECORD_FRAMES)
    page: Page = context.new_page()
    sign_in(page, manager)
    expect(row(page, "Gauze").locator(".quantity")).to_have_text("50")
    expect(page.locator("#departments")).to_contain_text("Ward B")
    expect_same_as_fresh_load(page)
    expect(page.locator("#overview-strip")).to_be_visible()  # on_load's last handler ran

    # The rows came once, before the sign-in's redirect: the on_load sent no second copy.
    dashboard = DashboardState.get_full_name()
    updates = _updates(page.evaluate("window.__received"))
    with_rows = [
        i
        for i, u in enumerate(updates)
        if any(k.startswith("rows") for k in ((u.get("delta") or {}).get(dashboard) or {}))
    ]
    redirect = next(
        i
        for i, u in enumerate(updates)
        if any(e.get("name") == "_redirect" for e in u.get("events") or [])
    )
    assert len(with_rows) == 1, f"{len(with_rows)} updates carried the rows"
    assert with_rows[0] < redirect, "the rows came after the redirect"

    # Live from the sign-in on: another person's change shows here.
    dialog = open_row_action(admin_page, "Gauze", "Issue")
    dialog.locator("#quantity").fill("8")
    dialog.locator("#quantity").press("Enter")
    expect(row(page, "Gauze").locator(".quantity")).to_have_text("42")

    # Later URLs are read as before: a search, then a department.
    page.fill("#search", "Swa")
    expect(row(page, "Swabs")).to_be_visible()
    expect(row(page, "Gauze")).to_have_count(0)
    page.fill("#search", "")
    expect(row(page, "Gauze")).to_be_visible()
    page.locator("#departments .department-entry", has_text="Ward B").click()
    expect(row(page, "Swabs")).to_be_visible()
    expect(row(page, "Gauze")).to_have_count(0)
    expect_same_as_fresh_load(page)

    # Back to /: read again (the sign-in's page was used once), with the change in it.
    page.goto("/")
    expect(row(page, "Gauze").locator(".quantity")).to_have_text("42")
    expect_same_as_fresh_load(page)
