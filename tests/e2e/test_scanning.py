"""Barcode scanning: a keyboard-wedge scan opens the item; an unknown code offers to add it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import add_item, register_organisation, row, sign_in, unique

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(new_context) -> Page:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_item(page, "Catheter", 30, 5, barcode="5012345678900")
    return page


def _scan(page: Page, code: str) -> None:
    """What a keyboard-wedge scanner does: type the digits, then Enter."""
    page.locator("#scan").press_sequentially(code, delay=5)
    page.locator("#scan").press("Enter")


def test_a_scanned_barcode_opens_its_item(page: Page) -> None:
    _scan(page, "5012345678900")
    panel = page.locator("#item-panel")
    expect(panel).to_contain_text("Catheter")
    expect(panel).to_contain_text("30 on hand in total")
    panel.get_by_role("button", name="Issue").click()
    dialog = page.get_by_role("dialog", name="Issue")
    dialog.locator("#quantity").fill("4")
    dialog.locator("#quantity").press("Enter")
    expect(panel).to_contain_text("26 on hand in total")
    page.keyboard.press("Escape")
    expect(row(page, "Catheter").locator(".quantity")).to_have_text("26")


def test_an_unknown_barcode_offers_to_add_an_item_with_it(page: Page) -> None:
    _scan(page, "7391234567890")
    expect(page.locator("#item-panel")).to_contain_text("Unknown barcode")
    page.click("#add-with-barcode")
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#barcode")).to_have_value("7391234567890")
    dialog.locator("#item-name").fill("Stent")
    dialog.locator("#quantity").fill("3")
    dialog.locator(".dialog-submit").click()
    expect(row(page, "Stent")).to_contain_text("7391234567890")


def test_the_camera_dialog_reports_when_there_is_no_camera(page: Page) -> None:
    page.click("#camera-button")
    expect(page.get_by_role("status")).to_contain_text("Camera unavailable")
