"""Every page and every dialog of the dashboard, in one place (the accessibility check
and anything else that must visit them all read this list; add new screens here).

A page is a route and a selector that is visible once its content has loaded. A dialog
is the page it lives on and the steps that open it, as a person would, from the
``Gloves`` row in ``Ward A`` that :func:`tests.e2e.test_accessibility` sets up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from tests.e2e.flows import open_row_action

__all__ = ["DIALOGS", "SIGNED_IN_PAGES", "SIGNED_OUT_PAGES", "Dialog", "Screen"]

ITEM, DEPARTMENT, BARCODE = "Gloves", "Ward A", "4006381333931"


@dataclass(frozen=True)
class Screen:
    route: str
    ready: str  # a selector visible once the page has its content


@dataclass(frozen=True)
class Dialog:
    name: str
    route: str
    open: Callable[[Page], object]


SIGNED_OUT_PAGES = [
    Screen("/login", "#login"),
    Screen("/register", "#register"),
]

# As an admin: every page of the app.
SIGNED_IN_PAGES = [
    Screen("/", ".stock-row"),
    Screen("/users", "#people"),
    Screen("/audit", "#audit-log"),
    Screen("/counts", "#start-count"),
    Screen("/reorder", "#reorder-summary"),
    Screen("/reorder/print", "#reorder-summary"),
    Screen("/import", "#import-choose"),
    Screen("/settings", "#save-settings"),
    Screen("/settings", "#save-two-factor-policy"),  # the admins' two-factor policy
    Screen("/webhooks", "#add-webhook"),
    Screen("/settings/integrations", "#make-key"),
    Screen("/settings/integrations", "#make-key"),
]


def _click(selector: str) -> Callable[[Page], object]:
    return lambda page: page.click(selector)


def _row_action(action: str) -> Callable[[Page], object]:
    return lambda page: open_row_action(page, ITEM, action, DEPARTMENT)


def _department_menu(action: str) -> Callable[[Page], object]:
    def open_(page: Page) -> None:
        page.get_by_role("button", name=f"Actions for {DEPARTMENT}").click()
        page.get_by_role("menuitem", name=action, exact=True).click()

    return open_


def _scan(code: str) -> Callable[[Page], object]:
    def open_(page: Page) -> None:
        page.fill("#scan", code)
        page.keyboard.press("Enter")

    return open_


DIALOGS = [
    Dialog("add item", "/", _click("#add-item")),
    Dialog("add department", "/", _click("#add-department")),
    Dialog("rename department", "/", _department_menu("Rename")),
    Dialog("categories", "/", _click("#manage-categories")),
    Dialog("print labels", "/", _click("#print-labels")),
    Dialog("camera", "/", _click("#camera-button")),
    Dialog("scanned item", "/", _scan(BARCODE)),
    Dialog("unknown code", "/", _scan("999999999999")),
    *(
        Dialog(action.lower(), "/", _row_action(action))
        for action in (
            "Issue",
            "Return",
            "Restock",
            "Transfer",
            "Edit item & threshold",
            "Adjust / write off",
            "Print label",
            "History",
        )
    ),
    Dialog("add person", "/users", _click("#add-person")),
]
