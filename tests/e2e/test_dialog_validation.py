"""Bad input in each dialog: a clear message, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.flows import (
    add_department,
    add_item,
    open_row_action,
    register_organisation,
    row,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e

TOAST = "[data-sonner-toast]"


@pytest.fixture(scope="module")
def organisation(browser, app_url: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """One organisation for this module: an admin, departments Store and Ward, item Tape."""
    context = browser.new_context(base_url=app_url)
    page = context.new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_department(page, "Store")
    add_department(page, "Ward")
    add_item(page, "Tape", 10, 2, department="Store", barcode="12345")
    context.close()
    return admin, "Tape"


@pytest.fixture
def page(new_context, organisation: tuple[str, str]) -> Page:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    sign_in(page, organisation[0])
    expect(row(page, "Tape").locator(".quantity")).to_have_text("10")
    return page


def _unchanged(page: Page) -> None:
    expect(row(page, "Tape").locator(".quantity")).to_have_text("10")
    open_row_action(page, "Tape", "History")
    expect(page.locator("#history-dialog .history-row")).to_have_count(1)
    page.keyboard.press("Escape")


def _submit(dialog: Locator) -> None:
    dialog.locator(".dialog-submit").click()


Fill = Callable[[Locator], None]


@pytest.mark.parametrize(
    ("action", "fill", "message"),
    [
        ("Issue", lambda d: d.locator("#quantity").fill("0"), "must be at least 1"),
        ("Issue", lambda d: d.locator("#quantity").fill("11"), "Only 10 on hand"),
        ("Return", lambda d: d.locator("#quantity").fill(""), "Enter the quantity"),
        ("Restock", lambda d: d.locator("#quantity").fill("-4"), "must be at least 1"),
        ("Transfer", lambda d: d.locator("#quantity").fill("3"), "Choose the department"),
        ("Edit item & threshold", lambda d: d.locator("input[name=name]").fill(""), "needs a name"),
        (
            "Edit item & threshold",
            lambda d: d.locator("input[name=threshold]").fill("-1"),
            "must be at least 0",
        ),
    ],
    ids=[
        "issue-zero",
        "issue-too-many",
        "return-empty",
        "restock-negative",
        "transfer-no-destination",
        "edit-empty-name",
        "edit-negative-threshold",
    ],
)
def test_a_bad_field_is_explained_in_the_dialog(
    page: Page, action: str, fill: Fill, message: str
) -> None:
    dialog = open_row_action(page, "Tape", action)
    fill(dialog)
    _submit(dialog)
    expect(dialog.locator(".form-error")).to_contain_text(message)
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    _unchanged(page)


def test_add_without_a_name_is_explained(page: Page) -> None:
    page.click("#add-item")
    dialog = page.get_by_role("dialog")
    dialog.locator("#quantity").fill("3")
    _submit(dialog)
    expect(dialog.locator(".form-error")).to_contain_text("needs a name")
    page.keyboard.press("Escape")
    expect(page.locator(".stock-row")).to_have_count(1)


def test_add_with_a_taken_barcode_is_refused_by_the_service(page: Page) -> None:
    page.click("#add-item")
    dialog = page.get_by_role("dialog")
    dialog.locator("#item-name").fill("Other tape")
    dialog.locator("#barcode").fill("12345")
    _submit(dialog)
    expect(page.locator(TOAST, has_text="already belongs")).to_be_visible()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".stock-row")).to_have_count(1)


def test_a_duplicate_category_is_refused(page: Page) -> None:
    page.click("#manage-categories")
    page.fill("#new_category", "Adhesives")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_contain_text("Adhesives")
    page.fill("#new_category", "Adhesives")
    page.keyboard.press("Enter")
    expect(page.locator(TOAST, has_text="already exists")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_text("Adhesives", exact=True)).to_have_count(1)


def test_a_department_without_a_name_is_explained(page: Page) -> None:
    page.click("#add-department")
    page.get_by_role("dialog").locator(".dialog-submit").click()
    expect(page.get_by_role("dialog").locator(".form-error")).to_contain_text("needs a name")
    page.keyboard.press("Escape")
    expect(page.locator("#departments .department-entry")).to_have_count(3)


def test_deleting_a_department_that_holds_stock_is_refused(page: Page) -> None:
    page.get_by_role("button", name="Actions for Store").click()
    page.get_by_role("menuitem", name="Delete").click()
    expect(page.locator(TOAST, has_text="still holds 10 units")).to_be_visible()
    expect(page.locator("#departments")).to_contain_text("Store")
