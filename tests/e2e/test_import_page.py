"""/import in the browser: a file with a row error shows the row and column and cannot be
imported; the fixed file's dry run shows old → new; Import applies it, and a fresh load
of the dashboard shows the new quantities."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import add_item, register_organisation, row, sign_in, unique
from tests.e2e.test_accessibility import _blocking_violations
from tests.e2e.test_invites_and_roles import _join_with_invite

pytestmark = pytest.mark.e2e

BAD = b"name,quantity,threshold\r\nGauze,42,5\r\nSwabs,-1,2\r\n"
FIXED = b"name,quantity,threshold\r\nGauze,42,5\r\nSwabs,12,2\r\n"
TOO_MANY = b"name\n" + b"x\n" * 100_001


def _upload(page: Page, name: str, data: bytes) -> None:
    page.set_input_files(
        "#import-file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def test_import_page_previews_refuses_errors_and_applies(new_context) -> None:  # type: ignore[no-untyped-def]
    page: Page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_item(page, "Gauze", 30, 5)
    page.get_by_role("link", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r"/import/?$"))
    expect(page.get_by_role("button", name="Choose a CSV file")).to_be_visible()

    _upload(page, "huge.csv", TOO_MANY)  # the service's own limit, shown inline
    expect(page.locator("#import-problem")).to_contain_text("more than 100000 rows")
    expect(page.locator("#import-confirm")).to_have_count(0)

    _upload(page, "bad.csv", BAD)
    error = page.locator("#import-errors .import-error")
    expect(error).to_have_count(1)
    expect(error).to_have_attribute("data-row", "3")
    expect(error).to_contain_text("quantity")
    expect(error).to_contain_text("must not be negative")
    expect(page.locator("#import-confirm")).to_be_disabled()
    # axe on the preview, once the dashboard's "Added Gauze" toast has gone (not this page's)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=20_000)
    page.mouse.move(640, 700)  # off the nav link just clicked (axe reads hover colours)
    assert _blocking_violations(page) == []

    _upload(page, "fixed.csv", FIXED)
    expect(page.locator("#import-errors")).to_have_count(0)
    expect(page.locator("#import-counts")).to_contain_text("To create: 1")
    expect(page.locator("#import-counts")).to_contain_text("To update: 1")
    expect(page.locator('.import-change[data-item="Gauze"]')).to_contain_text("30 → 42")
    expect(page.locator('.import-change[data-item="Swabs"]')).to_contain_text("new: 12")
    confirm = page.locator("#import-confirm")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.locator("#import-result")).to_contain_text("1 created, 1 updated")
    expect(confirm).to_be_disabled()  # the file is spent

    page.goto("/")
    expect(row(page, "Gauze")).to_contain_text("42")
    expect(row(page, "Swabs")).to_contain_text("12")


def test_a_user_gets_no_import_page(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    admin_page = new_context().new_page()
    admin = unique("admin")
    register_organisation(admin_page, unique("Org"), admin)
    sign_in(admin_page, admin)
    admin_page.goto("/users")
    admin_page.locator("#invite_department").select_option(label="General")
    admin_page.click("#create-invite")
    expect(admin_page.locator("#invite-code")).to_have_value(re.compile(r"\S{8,}"))
    code = admin_page.locator("#invite-code").input_value()

    page = new_context().new_page()
    newcomer = unique("nurse")
    _join_with_invite(page, code, newcomer, "General")
    sign_in(page, newcomer)
    expect(page.locator("#signed-in-role")).to_have_text("user")
    expect(page.get_by_role("link", name="Import", exact=True)).to_have_count(0)
    page.goto("/import")
    page.wait_for_url(lambda url: url.rstrip("/").endswith(app_url.split("//")[1]))
    expect(page.locator("#import-file")).to_have_count(0)
