"""The dashboard pages by cursor: the next page starts after the last row shown, so an item
someone adds above it meanwhile neither repeats a row nor hides one."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.flows import api_token, register_organisation, sign_in, unique

pytestmark = pytest.mark.e2e


def _add(app_url: str, token: str, tenant_id: int, name: str) -> None:
    response = httpx.post(
        f"{app_url}/api/items/add",
        json={"tenant_id": tenant_id, "name": name, "quantity": 5, "threshold": 1},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def test_next_page_continues_after_the_last_row_shown_while_items_are_added(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    token, tenant_id = api_token(app_url, admin)
    for n in range(1, 31):
        _add(app_url, token, tenant_id, f"Item {n:02d}")
    sign_in(page, admin)
    names = page.locator(".stock-row")
    expect(page.locator("#stock-table-range")).to_have_text("1-25 of 30 stock levels")
    expect(names.last).to_have_attribute("data-item", "Item 25")

    _add(app_url, token, tenant_id, "Item 00")  # sorts first: everything shifts by one
    expect(page.locator("#stock-table-range")).to_have_text("1-25 of 31 stock levels")
    expect(names.last).to_have_attribute("data-item", "Item 24")
    page.click("#stock-table-next")
    expect(page.locator("#stock-table-range")).to_have_text("26-31 of 31 stock levels")
    expect(names.first).to_have_attribute("data-item", "Item 25")

    # Another item above the page being read: this page keeps its rows (by offset it
    # would slide back by one and show Item 24 again).
    _add(app_url, token, tenant_id, "Item 000")
    expect(page.locator("#stock-table-range")).to_have_text("26-31 of 32 stock levels")
    expect(names.first).to_have_attribute("data-item", "Item 25")
    expect(names).to_have_count(6)
