"""Two-factor sign-in in the browser: set it up on /settings, then sign-in asks for a code."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlparse

import pyotp
from playwright.sync_api import expect

from tests.e2e.flows import PASSWORD, register_organisation, sign_in, unique


def test_set_up_two_factor_then_sign_in_with_a_code(new_context: Any) -> None:
    person = unique("totp")
    page = new_context().new_page()
    register_organisation(page, unique("Totp Org"), person)
    sign_in(page, person)

    page.goto("/settings")
    expect(page.locator("#totp-status")).to_contain_text("Off")
    page.click("#totp-start")
    secret_field = page.locator("#totp-secret")
    expect(secret_field).to_have_value(re.compile(r"^[A-Z2-7]{32}$"))
    secret = secret_field.input_value()
    expect(page.locator("#totp-qr")).to_have_attribute("src", re.compile("^data:image/svg"))
    assert page.evaluate("document.querySelector('#totp-code').labels.length") >= 1
    page.fill("#totp-code", pyotp.TOTP(secret).at(time.time() - 30))
    page.click("#totp-confirm")
    codes = page.locator("#recovery-codes")
    expect(codes).to_have_value(re.compile(r"^([0-9a-f]{6}-[0-9a-f]{6}\s*){10}$"))
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 10")
    expect(secret_field).to_have_value("")

    page.click("#signed-in-user")
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login/?$"))
    page.fill("#username", person)
    page.fill("#password", PASSWORD)
    page.click("#login")
    expect(page.locator("#login-error")).to_contain_text("code from your authenticator app")
    expect(page.locator("#otp")).to_be_focused()
    page.fill("#otp", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.click("#login")
    expect(page.locator("#login-error")).to_contain_text("wrong, expired or already used")
    page.fill("#otp", pyotp.TOTP(secret).now())
    page.click("#login")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("#signed-in-user")).to_have_text(person)
