"""A new organisation's first session, end to end in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import (
    add_department,
    add_item,
    expect_same_as_fresh_load,
    open_row_action,
    register_organisation,
    row,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e


def test_new_user_walk(new_context) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    username = unique("founder")
    register_organisation(page, unique("Clinic"), username)
    sign_in(page, username)
    expect(page).to_have_title(re.compile("Dashboard"))
    expect(page.locator("#signed-in-role")).to_have_text("admin")

    add_department(page, "Ward A")
    add_department(page, "Lab")
    page.click("#manage-categories")
    page.fill("#new_category", "Consumables")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_contain_text("Consumables")
    page.keyboard.press("Escape")

    add_item(page, "Gloves", 100, 20, department="Ward A", category="Consumables")
    gloves = row(page, "Gloves")
    expect(gloves.locator(".quantity")).to_have_text("100")
    expect(gloves.locator(".low-marker")).to_have_count(0)
    page.click("#manage-categories")  # item counts are read for this dialog only
    expect(page.get_by_role("dialog")).to_contain_text(re.compile(r"Consumables\s*1 items"))
    page.keyboard.press("Escape")

    dialog = open_row_action(page, "Gloves", "Issue")
    dialog.locator("#quantity").fill("85")
    dialog.locator("#quantity").press("Enter")
    expect(gloves.locator(".quantity")).to_have_text("15")
    expect(gloves.locator(".low-marker")).to_be_visible()
    expect(
        page.locator("[data-sonner-toast]", has_text="Low stock: Gloves in Ward A")
    ).to_be_visible()
    sidebar = page.locator("#departments")  # one low level, counted once
    expect(sidebar.get_by_role("button", name=re.compile("^All departments"))).to_have_text(
        re.compile(r"^All departments\s*1\s*1 low$")
    )

    open_row_action(page, "Gloves", "History")
    history = page.locator("#history-dialog")
    expect(history.locator(".history-row")).to_have_count(2)
    expect(history.locator(".history-row").first).to_contain_text("issue")
    expect(history.locator(".history-row").last).to_contain_text("add")
    page.keyboard.press("Escape")

    dialog = open_row_action(page, "Gloves", "Transfer")
    dialog.locator("#quantity").fill("5")
    dialog.locator("#to_department").select_option(label="Lab")
    dialog.locator(".dialog-submit").click()
    expect(row(page, "Gloves", "Lab").locator(".quantity")).to_have_text("5")
    expect(row(page, "Gloves", "Ward A").locator(".quantity")).to_have_text("10")

    expect_same_as_fresh_load(page)

    page.click("#signed-in-user")
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login/?$"))
    page.goto("/")
    page.wait_for_url(re.compile(r"/login/?$"))


def test_an_item_added_below_its_threshold_is_counted_low_once(new_context) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    username = unique("founder")
    register_organisation(page, unique("Clinic"), username)
    sign_in(page, username)

    add_item(page, "Bandages", 5, 10)

    expect(row(page, "Bandages").locator(".low-marker")).to_be_visible()
    sidebar = page.locator("#departments")
    expect(sidebar.get_by_role("button", name=re.compile("^All departments"))).to_have_text(
        re.compile(r"^All departments\s*1\s*1 low$")
    )
    expect(sidebar.locator(".department-entry", has_text="General")).to_have_text(
        re.compile(r"^General\s*1\s*1 low$")
    )
    expect_same_as_fresh_load(page)
