"""Two-factor sign-in: set-up, codes once per step, recovery codes once, turning it off,
an admin's reset, and the sign-in's second step counting toward the sign-in limits."""

from __future__ import annotations

import time

import pyotp
import pytest

from stock_saas.config import get_settings
from stock_saas.errors import (
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
)
from stock_saas.services import keys, people
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD


def _code(secret: str, steps_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def _other_than(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _turn_on(ctx: Context) -> tuple[str, list[str]]:
    setup = people.start_two_factor(ctx=ctx)
    assert setup.qr_data_uri.startswith("data:image/svg+xml")
    assert setup.otpauth_uri.startswith("otpauth://totp/") and setup.secret in setup.otpauth_uri
    codes = people.confirm_two_factor(ctx=ctx, code=_code(setup.secret, -1)).codes
    return setup.secret, codes


def _sign_in(ctx: Context, otp: str | None = None, client_ip: str | None = None) -> int:
    signed = people.sign_in(
        username=ctx.actor_name, password=TEST_PASSWORD, otp=otp, client_ip=client_ip
    )
    return signed.user.id


def test_turning_it_on_needs_a_matching_code_and_gives_ten_recovery_codes(user_a: Context):
    setup = people.start_two_factor(ctx=user_a)
    assert people.two_factor_status(ctx=user_a).pending
    with pytest.raises(Forbidden):
        people.confirm_two_factor(
            ctx=user_a, code="000000" if _code(setup.secret) != "000000" else "111111"
        )
    codes = people.confirm_two_factor(ctx=user_a, code=_code(setup.secret)).codes
    assert len(codes) == 10 and len(set(codes)) == 10
    status = people.two_factor_status(ctx=user_a)
    assert status.enabled and not status.pending and status.recovery_codes_left == 10
    with pytest.raises(Conflict):
        people.start_two_factor(ctx=user_a)


def test_sign_in_then_asks_for_the_code_and_takes_each_step_once(user_a: Context):
    secret, _ = _turn_on(user_a)  # spent the previous step
    with pytest.raises(Unauthorized, match="Two-factor code required"):
        _sign_in(user_a)
    with pytest.raises(Unauthorized, match="wrong, expired or already used"):
        _sign_in(user_a, otp=_code(secret, -1))  # used to confirm: not again
    assert _sign_in(user_a, otp=_code(secret)) == user_a.user_id
    with pytest.raises(Unauthorized, match="already used"):
        _sign_in(user_a, otp=_code(secret))  # the same code again, in its window
    with pytest.raises(Unauthorized):
        _sign_in(user_a, otp=_code(secret, -3))  # expired
    with pytest.raises(Unauthorized):
        _sign_in(user_a, otp="12345x")


def test_a_recovery_code_signs_in_once(user_a: Context):
    _, codes = _turn_on(user_a)
    assert _sign_in(user_a, otp=codes[0].upper()) == user_a.user_id
    with pytest.raises(Unauthorized):
        _sign_in(user_a, otp=codes[0])
    assert people.two_factor_status(ctx=user_a).recovery_codes_left == 9


def test_turning_it_off_needs_a_code(user_a: Context):
    _, codes = _turn_on(user_a)
    with pytest.raises(Forbidden):
        people.disable_two_factor(ctx=user_a, code="nonsense-code")
    people.disable_two_factor(ctx=user_a, code=codes[3])
    assert not people.two_factor_status(ctx=user_a).enabled
    assert _sign_in(user_a) == user_a.user_id  # the password alone again


def test_an_admin_resets_a_members_second_factor_and_it_is_logged(
    user_a: Context, admin_a: Context, admin_b: Context, caplog: pytest.LogCaptureFixture
):
    _turn_on(user_a)
    assert user_a.user_id is not None
    with pytest.raises(Forbidden):
        people.reset_two_factor(ctx=user_a, user_id=user_a.user_id)
    with pytest.raises(NotFound):
        people.reset_two_factor(ctx=admin_b, user_id=user_a.user_id)  # another tenant: 404
    people.reset_two_factor(ctx=admin_a, user_id=user_a.user_id)
    assert not people.two_factor_status(ctx=user_a).enabled
    assert _sign_in(user_a) == user_a.user_id
    assert any(
        "two-factor sign-in reset" in r.getMessage() and admin_a.actor_name in r.getMessage()
        for r in caplog.records
    )


def test_wrong_and_missing_codes_count_toward_the_sign_in_limit(
    user_a: Context, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("LOGIN_MAX_PAIR_FAILURES", "3")
    get_settings.cache_clear()
    secret, _ = _turn_on(user_a)
    for otp in (None, _other_than(_code(secret)), _other_than(_code(secret, 1))):
        with pytest.raises(Unauthorized):
            _sign_in(user_a, otp=otp, client_ip="203.0.113.9")
    with pytest.raises(RateLimited):
        _sign_in(user_a, otp=_code(secret), client_ip="203.0.113.9")
    get_settings.cache_clear()


def test_an_api_key_has_no_second_factor(admin_a: Context):
    key = keys.create_key(ctx=admin_a, name="robot")
    as_key = keys.context_from_key(key.key)
    with pytest.raises(Forbidden):
        people.start_two_factor(ctx=as_key)
