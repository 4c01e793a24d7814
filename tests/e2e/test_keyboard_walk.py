"""A person without a mouse: register, sign in, add an item, issue some, open its
history and close it, with Tab, Shift+Tab, Enter, Escape and typing alone. Closing a
dialog gives the focus back to the control that opened it."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import PASSWORD, row, unique

pytestmark = pytest.mark.e2e

TAB_LIMIT = 80  # more presses than any page has controls


def _focused(page: Page, selector: str) -> bool:
    return bool(page.locator(selector).evaluate("el => el === document.activeElement"))


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus, as a person would."""
    key = "Shift+Tab" if backwards else "Tab"
    page.locator(selector).wait_for(state="visible")
    for _ in range(TAB_LIMIT):
        if _focused(page, selector):
            return
        page.keyboard.press(key)
    pytest.fail(f"{TAB_LIMIT} presses of {key} never reached {selector}")


def type_into(page: Page, selector: str, text: str, *, backwards: bool = False) -> None:
    tab_to(page, selector, backwards=backwards)
    page.keyboard.type(text)


def test_keyboard_only_walk(new_context) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    username = unique("keys")

    page.goto("/register")
    type_into(page, "#organisation", unique("Clinic"))
    type_into(page, "#username", username)
    type_into(page, "#password", PASSWORD)
    type_into(page, "#password_again", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/login/?$"))

    expect(page.locator("#username")).to_be_focused()  # the sign-in form starts there
    page.keyboard.type(username)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("#signed-in-user")).to_have_text(username)

    tab_to(page, "#add-item")
    page.keyboard.press("Enter")
    add = page.locator("#add-dialog")
    expect(add).to_be_visible()
    expect(add.locator("#item-name")).to_be_focused()
    page.keyboard.type("Bandages")
    type_into(page, "#threshold", "10")
    type_into(page, "#quantity", "25", backwards=True)
    page.keyboard.press("Enter")
    expect(add).to_have_count(0)
    expect(page.locator("#add-item")).to_be_focused()
    bandages = row(page, "Bandages")
    expect(bandages.locator(".quantity")).to_have_text("25")

    actions = bandages.get_by_role("button", name=re.compile("^Actions for Bandages"))
    tab_to(page, ".stock-row .row-actions-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Issue")).to_be_focused()
    page.keyboard.press("Enter")
    issue = page.locator("#issue-dialog")
    expect(issue.locator("#quantity")).to_be_focused()
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    expect(issue).to_have_count(0)
    expect(bandages.locator(".quantity")).to_have_text("5")
    expect(bandages.locator(".low-marker")).to_be_visible()
    expect(actions).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.type("H")  # the menu's type-ahead: History
    expect(page.get_by_role("menuitem", name="History")).to_be_focused()
    page.keyboard.press("Enter")
    history = page.locator("#history-dialog")
    expect(history.locator(".history-row")).to_have_count(2)
    expect(history.locator(".history-row").first).to_contain_text("issue")
    page.keyboard.press("Escape")
    expect(history).to_have_count(0)
    expect(actions).to_be_focused()
