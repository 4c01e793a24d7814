"""The organisation's two-factor policy in the browser: an admin turns it on on /settings
(only with their own second factor on), and a manager without one sets it up inside the
sign-in, with the keyboard alone, and is in (no lockout); nothing else is reachable until."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlparse

import httpx
import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from stock_saas.state.enrolment import EnrolmentState
from tests.e2e.flows import (
    PASSWORD,
    add_person,
    form_payload,
    register_organisation,
    send_forged_event,
    sign_in,
    unique,
)
from tests.e2e.test_keyboard_walk import tab_to

pytestmark = pytest.mark.e2e

SECRET = re.compile(r"^[A-Z2-7]{32}$")


def _serious_violations(page: Page) -> list[str]:
    found: list[dict[str, Any]] = Axe().run(page).response["violations"]
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def _turn_on_own(page: Page) -> None:
    page.click("#totp-start")
    expect(page.locator("#totp-secret")).to_have_value(SECRET)
    secret = page.locator("#totp-secret").input_value()
    page.fill("#totp-code", pyotp.TOTP(secret).at(time.time() - 30))
    page.click("#totp-confirm")
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 10")


def _require_two_factor(page: Page) -> None:
    """As the signed-in admin: refused without their own factor, then on with it."""
    page.goto("/settings")
    policy = page.locator("#require-two-factor")
    expect(policy).not_to_be_checked()
    assert page.evaluate("document.querySelector('#require-two-factor').labels.length") >= 1
    policy.check()
    page.click("#save-two-factor-policy")
    expect(page.locator("#two-factor-policy-problem")).to_contain_text(
        "your own two-factor sign-in first"
    )
    expect(policy).not_to_be_checked()
    _turn_on_own(page)
    policy.check()
    page.click("#save-two-factor-policy")
    expect(page.get_by_text("now required for admins and managers")).to_be_visible()
    page.reload()
    expect(page.locator("#require-two-factor")).to_be_checked()


def test_a_manager_sets_up_two_factor_inside_sign_in_and_is_in(
    new_context: Any, app_url: str
) -> None:
    admin = unique("pol")
    admin_page = new_context().new_page()
    register_organisation(admin_page, unique("Policy Org"), admin)
    sign_in(admin_page, admin)
    manager = add_person(app_url, admin, "manager")
    _require_two_factor(admin_page)

    refused = httpx.post(
        f"{app_url}/api/token", data={"username": manager, "password": PASSWORD}, timeout=30
    )
    assert refused.status_code == 403
    assert "Two-factor set-up required" in refused.json()["detail"]

    context = new_context()
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", manager)
    page.fill("#password", PASSWORD)
    page.click("#login")
    expect(page.locator("#enrol-intro")).to_contain_text("requires two-factor sign-in")
    expect(page.locator("#enrol-secret")).to_have_value(SECRET)
    expect(page.locator("#enrol-qr")).to_have_attribute("src", re.compile("^data:image/svg"))
    expect(page.locator("#login")).to_have_count(0)  # the step replaces the sign-in form
    expect(page.locator("#enrol-code")).to_be_focused()
    assert _serious_violations(page) == []

    other = context.new_page()  # no session until the step is done: every page is /login
    other.goto("/settings")
    other.wait_for_url(re.compile(r"/login/?$"))
    other.close()

    secret = page.locator("#enrol-secret").input_value()
    tab_to(page, "#enrol-secret", backwards=True)  # the key is reachable to copy
    tab_to(page, "#enrol-code")
    wrong = pyotp.TOTP(secret).now()
    page.keyboard.type(f"{(int(wrong) + 500_000) % 1_000_000:06d}")
    page.keyboard.press("Enter")
    expect(page.locator("#enrol-problem")).to_contain_text("does not match")
    expect(page.locator("#enrol-code")).to_be_focused()
    page.keyboard.type(pyotp.TOTP(secret).now())
    tab_to(page, "#enrol-confirm")
    page.keyboard.press("Enter")

    codes = page.locator("#enrol-recovery-codes")
    expect(codes).to_have_value(re.compile(r"^([0-9a-f]{6}-[0-9a-f]{6}\s*){10}$"))
    expect(page.locator("#enrol-secret")).to_have_value("")
    expect(page.locator("#enrol-continue")).to_be_focused()
    assert _serious_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("#signed-in-user")).to_have_text(manager)

    page.goto("/settings")  # from now on like anyone with two-factor sign-in on
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 10")
    expect(page.locator("#require-two-factor")).to_have_count(0)  # admins only


def test_a_forged_confirm_without_the_step_signs_nobody_in(new_context: Any) -> None:
    page = new_context().new_page()
    page.goto("/login")
    page.click("#login")  # an empty form: one real event to copy the frame from
    expect(page.locator("#login-error")).to_contain_text("Enter your username")
    send_forged_event(
        page, EnrolmentState.get_full_name(), "confirm", form_payload(**{"enrol-code": "123456"})
    )
    page.wait_for_url(re.compile(r"/login/?$"))
    expect(page.locator("#login")).to_be_visible()
    page.goto("/settings")
    page.wait_for_url(re.compile(r"/login/?$"))
    expect(page.locator("#signed-in-user")).to_have_count(0)
