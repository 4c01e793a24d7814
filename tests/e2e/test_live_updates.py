"""Changes appear live in every open dashboard of the same tenant, and nowhere else."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import (
    add_item,
    add_person,
    api_token,
    open_row_action,
    register_organisation,
    row,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e

LOW_TOAST = "[data-sonner-toast]"


def _organisation_with_item(new_context, app_url: str, item: str) -> tuple[Page, str]:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_item(page, item, 50, 10)
    return page, admin


def test_a_change_in_one_dashboard_appears_in_another_of_the_same_tenant_only(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    first, admin = _organisation_with_item(new_context, app_url, "Syringes")
    manager = add_person(app_url, admin, "manager")
    second = new_context().new_page()
    sign_in(second, manager)
    expect(row(second, "Syringes").locator(".quantity")).to_have_text("50")
    stranger, _ = _organisation_with_item(new_context, app_url, "Syringes")

    dialog = open_row_action(first, "Syringes", "Issue")
    dialog.locator("#quantity").fill("45")
    dialog.locator("#quantity").press("Enter")

    expect(row(second, "Syringes").locator(".quantity")).to_have_text("5")
    expect(row(second, "Syringes").locator(".low-marker")).to_be_visible()
    expect(second.locator(LOW_TOAST, has_text="Low stock: Syringes")).to_be_visible()
    expect(row(stranger, "Syringes").locator(".quantity")).to_have_text("50")
    expect(stranger.locator(LOW_TOAST, has_text="Low stock: Syringes")).to_have_count(0)


def test_a_user_sees_the_quantity_live_but_gets_no_low_stock_alert(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    first, admin = _organisation_with_item(new_context, app_url, "Masks")
    user = add_person(app_url, admin, "user")
    second = new_context().new_page()
    sign_in(second, user)
    expect(row(second, "Masks").locator(".quantity")).to_have_text("50")

    dialog = open_row_action(first, "Masks", "Issue")
    dialog.locator("#quantity").fill("41")
    dialog.locator("#quantity").press("Enter")

    expect(first.locator(LOW_TOAST, has_text="Low stock: Masks")).to_be_visible()
    expect(row(second, "Masks").locator(".quantity")).to_have_text("9")
    expect(second.locator(LOW_TOAST, has_text="Low stock: Masks")).to_have_count(0)


def test_an_issue_through_the_rest_api_appears_live(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, admin = _organisation_with_item(new_context, app_url, "Bandages")
    token, tenant_id = api_token(app_url, admin)

    response = httpx.post(
        f"{app_url}/api/items/issue",
        json={"name": "Bandages", "quantity": 42, "tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )

    assert response.status_code == 200, response.text
    expect(row(page, "Bandages").locator(".quantity")).to_have_text("8")
    expect(page.locator(LOW_TOAST, has_text="Low stock: Bandages")).to_be_visible()


def test_the_open_history_shows_new_entries_live(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, admin = _organisation_with_item(new_context, app_url, "Swabs")
    open_row_action(page, "Swabs", "History")
    history = page.locator("#history-dialog")
    expect(history.locator(".history-row")).to_have_count(1)
    token, tenant_id = api_token(app_url, admin)

    httpx.post(
        f"{app_url}/api/items/issue",
        json={"name": "Swabs", "quantity": 3, "tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).raise_for_status()

    expect(history.locator(".history-row")).to_have_count(2)
    expect(history.locator(".history-row").first).to_contain_text("issue")
    expect(history.locator(".history-row").first).to_contain_text("-3")
