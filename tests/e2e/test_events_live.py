"""Issue 7 (owned by the events work, here to share the one app build of this suite):
a change made by the CLI in another process shows up in an open dashboard."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import (
    add_item,
    expect_same_as_fresh_load,
    register_organisation,
    row,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def _app_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQLite file of the session's app (conftest.app_url makes it under e2e-app*)."""
    found = tmp_path_factory.getbasetemp().glob("e2e-app*/e2e.db")
    return f"sqlite:///{max(found, key=lambda p: p.stat().st_mtime)}"


def test_a_cli_issue_in_another_terminal_appears_in_the_open_dashboard(
    new_context, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    organisation, admin = unique("Org"), unique("admin")
    register_organisation(page, organisation, admin)
    sign_in(page, admin)
    add_item(page, "Gauze", 50, 10)
    env = {**os.environ, "DATABASE_URL": _app_database(tmp_path_factory)}
    page.evaluate("window.__notReloaded = true")  # gone if the page loads again

    done = subprocess.run(
        [sys.executable, "inventory.py", "issue", "Gauze", "3", "--tenant", organisation],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    expect(row(page, "Gauze").locator(".quantity")).to_have_text("47")
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    expect_same_as_fresh_load(page)


def test_an_admin_adds_a_webhook_sees_its_secret_once_and_can_pause_it(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    page.goto("/webhooks")

    page.fill("#webhook-url", "https://hooks.example.test/stock")
    page.check("#type-stock\\.low")
    page.click("#add-webhook")

    expect(page.locator("#webhook-secret")).to_have_value(re.compile(r"^whsec_"))
    endpoint = page.locator(".webhook-row", has_text="https://hooks.example.test/stock")
    expect(endpoint).to_contain_text("stock.low")
    endpoint.get_by_role("button", name="Pause").click()
    expect(endpoint.locator(".paused")).to_be_visible()
    page.reload()
    expect(page.locator(".webhook-row")).to_have_count(1)
    expect(page.locator("#webhook-secret")).to_be_hidden()
    expect(page.locator("#webhook-secret")).to_have_value("")
