"""axe-core on every page (signed out, and signed in as an admin) and every dialog:
no serious or critical violation. The pages and dialogs come from ``screens``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SOCKET_SPY
from tests.e2e.flows import add_department, add_item, register_organisation, sign_in, unique
from tests.e2e.screens import (
    BARCODE,
    DEPARTMENT,
    DIALOGS,
    ITEM,
    SIGNED_IN_PAGES,
    SIGNED_OUT_PAGES,
    Dialog,
    Screen,
)

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")
_axe = Axe()


def _blocking_violations(page: Page) -> list[str]:
    found: list[dict[str, Any]] = _axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(_node(node) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in BLOCKING
    ]


def _node(node: dict[str, Any]) -> str:
    why = next((c["message"] for c in node.get("any", []) + node.get("all", [])), "")
    return f"{', '.join(node['target'])} ({why})" if why else ", ".join(node["target"])


@pytest.fixture(scope="module")
def admin_page(browser: Browser, app_url: str) -> Iterator[Page]:
    """One signed-in admin for the whole module, with a department, a category, an item."""
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 860})
    context.add_init_script(SOCKET_SPY)
    page = context.new_page()
    admin = unique("a11y")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_department(page, DEPARTMENT)
    add_item(page, ITEM, 100, 20, department=DEPARTMENT, barcode=BARCODE)
    yield page
    context.close()


def _visit(page: Page, screen: Screen) -> None:
    page.goto(screen.route)
    expect(page.locator(screen.ready).first).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("screen", SIGNED_OUT_PAGES, ids=lambda s: s.route)
def test_signed_out_page_has_no_serious_violation(new_context, screen: Screen) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    _visit(page, screen)
    assert _blocking_violations(page) == []


@pytest.mark.parametrize("screen", SIGNED_IN_PAGES, ids=lambda s: s.route)
def test_page_has_no_serious_violation(admin_page: Page, screen: Screen) -> None:
    _visit(admin_page, screen)
    assert _blocking_violations(admin_page) == []


@pytest.mark.parametrize("dialog", DIALOGS, ids=lambda d: d.name)
def test_dialog_has_no_serious_violation(admin_page: Page, dialog: Dialog) -> None:
    page = admin_page
    _visit(page, next(s for s in SIGNED_IN_PAGES if s.route == dialog.route))
    dialog.open(page)
    shown = page.get_by_role("dialog")
    expect(shown).to_be_visible()
    expect(shown).not_to_have_attribute("data-state", re.compile("closed"))
    page.wait_for_timeout(300)  # the opening animation (contrast is read from the pixels)
    try:
        assert _blocking_violations(page) == []
    finally:
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)


def test_toasts_have_no_serious_violation(admin_page: Page) -> None:
    """The "Added …" success toast and the low-stock warning (amber on pale yellow, below
    AA, before the colours in assets/stock_saas.css); last in the module, so no other
    page is checked with these toasts over it."""
    page = admin_page
    _visit(page, SIGNED_IN_PAGES[0])

    add_item(page, "Toast check", 1, 5, department=DEPARTMENT)

    warning = page.locator("[data-sonner-toast][data-type='warning']", has_text="Toast check")
    expect(warning).to_be_visible()
    expect(page.locator("[data-sonner-toast][data-type='success']").first).to_be_visible()
    page.wait_for_timeout(300)  # the slide-in (contrast is read from the pixels)
    assert _blocking_violations(page) == []
