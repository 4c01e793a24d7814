"""Joining with an invite, what a `user` may see, and forged websocket events."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from stock_saas.state.actions import ActionState
from stock_saas.state.catalog_admin import CatalogAdminState
from tests.e2e.flows import (
    PASSWORD,
    add_department,
    api_items,
    api_token,
    form_payload,
    register_organisation,
    send_forged_event,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e

TOAST = "[data-sonner-toast]"


def _join_with_invite(page: Page, code: str, username: str, department: str) -> None:
    page.goto("/register")
    page.get_by_role("radio", name="Join with invite").click()
    page.fill("#invite_code", code)
    page.locator("#invite_code").blur()
    expect(page.locator("#department_id")).to_contain_text(department)
    page.locator("#department_id").select_option(label=department)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.click("#register")
    page.wait_for_url(re.compile(r"/login/?$"))


def test_invited_user_joins_a_department_and_cannot_reach_admin_pages_or_manager_events(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    admin_page = new_context().new_page()
    admin = unique("admin")
    register_organisation(admin_page, unique("Org"), admin)
    sign_in(admin_page, admin)
    add_department(admin_page, "Radiology")
    admin_page.goto("/users")
    admin_page.locator("#invite_department").select_option(label="Radiology")
    admin_page.click("#create-invite")
    expect(admin_page.locator("#invite-code")).to_have_value(re.compile(r"\S{8,}"))
    code = admin_page.locator("#invite-code").input_value()

    page = new_context().new_page()
    newcomer = unique("nurse")
    _join_with_invite(page, code, newcomer, "Radiology")
    sign_in(page, newcomer)
    expect(page.locator("#signed-in-role")).to_have_text("user")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    expect(page.locator("#add-item")).to_have_count(0)

    page.goto("/users")
    page.wait_for_url(lambda url: url.rstrip("/").endswith(app_url.split("//")[1]))
    expect(page.locator("#people")).to_have_count(0)
    page.goto("/audit")
    page.wait_for_url(lambda url: url.rstrip("/").endswith(app_url.split("//")[1]))
    expect(page.get_by_text("Audit log", exact=True)).to_have_count(0)

    # Hand-sent manager-only events: open the add dialog, submit it, make a department.
    state = ActionState.get_full_name()
    send_forged_event(page, state, "start_add", {"barcode": ""})
    send_forged_event(
        page, state, "submit_add", form_payload(name="Forged", quantity="5", threshold="1")
    )
    expect(page.locator(TOAST, has_text="needs the manager role").first).to_be_visible()
    send_forged_event(
        page, CatalogAdminState.get_full_name(), "save_department", form_payload(name="Forged dept")
    )
    expect(page.locator(TOAST, has_text="needs the manager role")).to_have_count(2)

    token, tenant_id = api_token(app_url, admin)
    assert api_items(app_url, token, tenant_id, "Forged") == []
    admin_page.goto("/")
    expect(admin_page.locator("#departments")).not_to_contain_text("Forged dept")


def test_a_forged_event_without_a_session_changes_nothing(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    owner_page = new_context().new_page()
    owner = unique("owner")
    register_organisation(owner_page, unique("Org"), owner)
    page = new_context().new_page()
    page.goto("/login")
    page.fill("#username", "nobody")
    page.fill("#password", "wrong-password")
    page.click("#login")
    expect(page.locator("#login-error")).to_contain_text("Incorrect username or password")

    state = ActionState.get_full_name()
    send_forged_event(page, state, "start_add", {"barcode": ""})
    send_forged_event(
        page, state, "submit_add", form_payload(name="Ghost", quantity="5", threshold="1")
    )

    expect(page.locator(TOAST, has_text="Sign in first")).to_be_visible()
    token, tenant_id = api_token(app_url, owner)
    assert api_items(app_url, token, tenant_id, "Ghost") == []
