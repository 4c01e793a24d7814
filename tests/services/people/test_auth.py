"""Sign-in, registration, invites and token-to-context."""

from __future__ import annotations

import pytest

from stock_saas.errors import Conflict, NotFound, RateLimited, Unauthorized, ValidationFailed
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source
from stock_saas.services.people import update_user
from tests.conftest import TEST_PASSWORD


def test_register_without_invite_founds_a_tenant_with_an_admin(database: str):
    user = people.register(username="alice", password=TEST_PASSWORD, organisation="Alice & Co")
    assert user.role == "admin"
    signed = people.sign_in(username="alice", password=TEST_PASSWORD)
    ctx = people.context_from_token(signed.token, source=Source.API)
    assert ctx.tenant_id == user.tenant_id and ctx.role is Role.ADMIN


def test_register_without_organisation_or_invite_is_refused(database: str):
    with pytest.raises(ValidationFailed):
        people.register(username="alice", password=TEST_PASSWORD)


def test_invite_joins_its_tenant_once(admin_a: Context):
    invite = people.create_invite(ctx=admin_a, role=Role.MANAGER)
    departments = people.invite_departments(invite_code=invite.code)
    user = people.register(
        username="bob",
        password=TEST_PASSWORD,
        invite_code=invite.code,
        department_id=departments[0].id,
    )
    assert (user.tenant_id, user.role) == (admin_a.tenant_id, "manager")
    with pytest.raises(NotFound):
        people.register(username="carol", password=TEST_PASSWORD, invite_code=invite.code)


def test_invite_department_of_another_tenant_is_refused(admin_a: Context, admin_b: Context):
    from stock_saas.services.catalog import list_departments

    other = list_departments(ctx=admin_b)[0]
    invite = people.create_invite(ctx=admin_a)
    with pytest.raises(NotFound):
        people.register(
            username="bob",
            password=TEST_PASSWORD,
            invite_code=invite.code,
            department_id=other.id,
        )


def test_unknown_user_and_wrong_password_get_the_same_error(admin_a: Context):
    with pytest.raises(Unauthorized) as unknown:
        people.sign_in(username="nobody", password="whatever-else")
    with pytest.raises(Unauthorized) as wrong:
        people.sign_in(username=admin_a.actor_name, password="whatever-else")
    assert unknown.value.detail == wrong.value.detail == people.BAD_CREDENTIALS


def test_too_many_failures_from_one_address_are_rate_limited(
    admin_a: Context, monkeypatch: pytest.MonkeyPatch
):
    from stock_saas.config import get_settings

    monkeypatch.setattr(get_settings(), "login_max_failures", 3)
    for _ in range(3):
        with pytest.raises(Unauthorized):
            people.sign_in(username=admin_a.actor_name, password="nope-nope", client_ip="10.9.9.9")
    with pytest.raises(RateLimited):
        people.sign_in(username=admin_a.actor_name, password=TEST_PASSWORD, client_ip="10.9.9.9")


def test_deactivated_user_loses_access_with_a_valid_token(admin_a: Context, user_a: Context):
    assert user_a.user_id is not None
    signed = people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD)
    update_user(ctx=admin_a, user_id=user_a.user_id, is_active=False)
    with pytest.raises(Unauthorized):
        people.context_from_token(signed.token, source=Source.API)


def test_demoted_user_gets_the_new_role_from_the_database(admin_a: Context, manager_a: Context):
    assert manager_a.user_id is not None
    signed = people.sign_in(username=manager_a.actor_name, password=TEST_PASSWORD)
    people.update_user(ctx=admin_a, user_id=manager_a.user_id, role=Role.USER)
    assert people.context_from_token(signed.token, source=Source.API).role is Role.USER


def test_password_equal_to_username_is_refused(database: str):
    with pytest.raises(Conflict):
        people.register(username="dave12345", password="dave12345", organisation="Dave")
