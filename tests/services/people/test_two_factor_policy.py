"""The tenant policy "require two-factor sign-in for every admin and manager": who may turn
it on, the set-up step inside sign-in (no lockout), sessions ended, roles, resets."""

from __future__ import annotations

import time

import pyotp
import pytest

from stock_saas.errors import (
    Conflict,
    Forbidden,
    TwoFactorSetupRequired,
    Unauthorized,
)
from stock_saas.services import keys, people
from stock_saas.services.core import Context, Role, Source
from tests.conftest import TEST_PASSWORD


def _code(secret: str, steps_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def _turn_on(ctx: Context) -> str:
    secret = people.start_two_factor(ctx=ctx).secret
    people.confirm_two_factor(ctx=ctx, code=_code(secret, -1))
    return secret


def _sign_in(ctx: Context, otp: str | None = None) -> str:
    return people.sign_in(username=ctx.actor_name, password=TEST_PASSWORD, otp=otp).token


def _works(token: str) -> bool:
    try:
        people.context_from_token(token, source=Source.API)
    except Unauthorized:
        return False
    return True


def _require(admin: Context) -> None:
    _turn_on(admin)
    assert people.set_two_factor_required(ctx=admin, required=True).require_two_factor


def _enrol(ctx: Context) -> tuple[str, str]:
    """The set-up step inside sign-in, as the web sign-in runs it: (secret, token)."""
    with pytest.raises(TwoFactorSetupRequired) as refused:
        _sign_in(ctx)
    assert refused.value.user_id == ctx.user_id
    assert refused.value.status_code == 403 and "set it up" in refused.value.detail
    secret = people.begin_enrolment(user_id=refused.value.user_id).secret
    enrolled = people.finish_enrolment(user_id=refused.value.user_id, code=_code(secret))
    assert len(enrolled.recovery_codes.codes) == 10
    assert enrolled.signed.user.id == ctx.user_id
    return secret, enrolled.signed.token


def test_only_an_admin_with_their_own_second_factor_turns_the_policy_on(
    admin_a: Context, manager_a: Context, user_a: Context, admin_b: Context
):
    with pytest.raises(Forbidden):
        people.set_two_factor_required(ctx=manager_a, required=True)
    with pytest.raises(Conflict, match="your own two-factor sign-in first"):
        people.set_two_factor_required(ctx=admin_a, required=True)
    assert not people.organisation_settings(ctx=user_a).require_two_factor
    key = keys.context_from_key(keys.create_key(ctx=admin_a, name="ci", role=Role.ADMIN).key)
    with pytest.raises(Forbidden):
        people.set_two_factor_required(ctx=key, required=False)  # a key is not a person
    _require(admin_a)
    assert people.organisation_settings(ctx=user_a).require_two_factor
    assert people.organisation_settings(ctx=key).require_two_factor
    assert not people.organisation_settings(ctx=admin_b).require_two_factor  # other tenant


def test_turning_it_on_and_off_is_logged_with_the_admin(
    admin_a: Context, caplog: pytest.LogCaptureFixture
):
    _require(admin_a)
    people.set_two_factor_required(ctx=admin_a, required=False)
    said = [r.getMessage() for r in caplog.records if r.name == "stock_saas.security"]
    assert any("policy turned on" in m and admin_a.actor_name in m for m in said)
    assert any("policy turned off" in m and admin_a.actor_name in m for m in said)


def test_a_manager_without_a_factor_is_signed_out_and_gets_in_by_setting_one_up(
    admin_a: Context, manager_a: Context
):
    before = _sign_in(manager_a)
    _require(admin_a)
    assert not _works(before)  # the existing session ended with the policy
    secret, token = _enrol(manager_a)
    assert _works(token)
    assert people.two_factor_status(ctx=manager_a).enabled
    with pytest.raises(Unauthorized, match="Two-factor code required"):
        _sign_in(manager_a)  # from now on like anyone with two-factor on
    assert _works(_sign_in(manager_a, otp=_code(secret, 1)))


def test_the_set_up_step_needs_a_matching_code(admin_a: Context, manager_a: Context):
    _require(admin_a)
    with pytest.raises(TwoFactorSetupRequired) as refused:
        _sign_in(manager_a)
    secret = people.begin_enrolment(user_id=refused.value.user_id).secret
    wrong = f"{(int(_code(secret)) + 500_000) % 1_000_000:06d}"
    with pytest.raises(Forbidden):  # a wrong code is 403, as on every other route
        people.finish_enrolment(user_id=refused.value.user_id, code=wrong)
    assert not people.two_factor_status(ctx=manager_a).enabled
    with pytest.raises(TwoFactorSetupRequired):
        _sign_in(manager_a)  # still no way in but the set-up step


def test_users_and_api_keys_are_not_affected(admin_a: Context, user_a: Context):
    key = keys.create_key(ctx=admin_a, name="robot", role=Role.MANAGER).key
    token = _sign_in(user_a)
    _require(admin_a)
    assert _works(token)
    assert _works(_sign_in(user_a))
    assert keys.context_from_key(key).role == Role.MANAGER


def test_people_with_a_factor_keep_their_sessions(admin_a: Context, manager_a: Context):
    secret = _turn_on(manager_a)
    token = _sign_in(manager_a, otp=_code(secret))
    admin_token = _sign_in(admin_a)
    _require(admin_a)
    assert _works(token) and _works(admin_token)


def test_demoting_lifts_the_requirement_and_promoting_brings_it(
    admin_a: Context, manager_a: Context, user_a: Context
):
    _require(admin_a)
    assert manager_a.user_id is not None and user_a.user_id is not None
    people.update_user(ctx=admin_a, user_id=manager_a.user_id, role=Role.USER)
    assert _works(_sign_in(manager_a))
    token = _sign_in(user_a)
    people.update_user(ctx=admin_a, user_id=user_a.user_id, role=Role.MANAGER)
    assert not _works(token)  # promoted without a factor: signed out
    _enrol(user_a)


def test_a_reset_under_the_policy_means_setting_it_up_at_next_sign_in(
    admin_a: Context, manager_a: Context
):
    secret = _turn_on(manager_a)
    token = _sign_in(manager_a, otp=_code(secret))
    _require(admin_a)
    assert manager_a.user_id is not None
    people.reset_two_factor(ctx=admin_a, user_id=manager_a.user_id)
    assert not _works(token)
    _enrol(manager_a)


def test_the_policy_keeps_a_managers_factor_on_until_it_is_lifted(
    admin_a: Context, manager_a: Context, user_a: Context
):
    secret = _turn_on(manager_a)
    user_secret = _turn_on(user_a)
    _require(admin_a)
    with pytest.raises(Conflict, match="it stays on"):
        people.disable_two_factor(ctx=manager_a, code=_code(secret))
    people.disable_two_factor(ctx=user_a, code=_code(user_secret))  # users may
    people.set_two_factor_required(ctx=admin_a, required=False)
    people.disable_two_factor(ctx=manager_a, code=_code(secret, 1))
    assert _works(_sign_in(manager_a))  # the password alone again
