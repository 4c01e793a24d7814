"""A token check reads the user's row at most a second old (people.recent_users): a change
made elsewhere (another worker, the CLI, a plain UPDATE) is honoured once that second has
passed; a change made through this process's services at once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.errors import Forbidden, Unauthorized
from stock_saas.models import User
from stock_saas.security.tokens import issue_token
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source, require_role
from stock_saas.services.people.recent_users import USER_TTL, remembered_user


def _token(ctx: Context) -> str:
    assert ctx.user_id is not None
    return issue_token(user_id=ctx.user_id, tenant_id=ctx.tenant_id, role=ctx.role.value)


def _changed_elsewhere(user_id: int | None, **values: Any) -> None:
    """What another process would do: an UPDATE this process's services never saw."""
    with write_session() as session:
        session.execute(update(User).where(col(User.id) == user_id).values(**values))


def _past_the_bound() -> None:
    time.sleep(USER_TTL + 0.05)  # not an assertion: the bound is what the test relies on


def test_a_deactivation_elsewhere_refuses_the_token_once_the_bound_has_passed(user_a: Context):
    token = _token(user_a)
    assert people.context_from_token(token, source=Source.API).user_id == user_a.user_id

    _changed_elsewhere(user_a.user_id, is_active=False)
    _past_the_bound()

    with pytest.raises(Unauthorized, match="not active"):
        people.context_from_token(token, source=Source.API)
    with pytest.raises(Unauthorized, match="not active"):  # the row just read, remembered
        people.remembered_context(token, source=Source.API)


def test_a_demotion_elsewhere_takes_the_role_away_once_the_bound_has_passed(manager_a: Context):
    token = _token(manager_a)
    require_role(people.context_from_token(token, source=Source.API), Role.MANAGER)

    _changed_elsewhere(manager_a.user_id, role=Role.USER.value)
    _past_the_bound()

    ctx = people.context_from_token(token, source=Source.API)
    assert ctx.role is Role.USER
    with pytest.raises(Forbidden):
        require_role(ctx, Role.MANAGER)


def test_a_sign_out_elsewhere_ends_the_token_once_the_bound_has_passed(user_a: Context):
    token = _token(user_a)
    people.context_from_token(token, source=Source.API)

    _changed_elsewhere(user_a.user_id, token_version=col(User.token_version) + 1)
    _past_the_bound()

    with pytest.raises(Unauthorized, match="session has ended"):
        people.context_from_token(token, source=Source.API)


def test_a_deactivation_through_the_service_here_refuses_the_next_request(
    admin_a: Context, user_a: Context
):
    token = _token(user_a)
    people.context_from_token(token, source=Source.API)

    people.update_user(ctx=admin_a, user_id=user_a.user_id or 0, is_active=False)

    assert remembered_user(user_a.user_id or 0) is None
    with pytest.raises(Unauthorized, match="not active"):
        people.context_from_token(token, source=Source.API)


def test_a_demotion_through_the_service_here_applies_to_the_next_request(
    admin_a: Context, manager_a: Context
):
    token = _token(manager_a)
    people.context_from_token(token, source=Source.API)

    people.update_user(ctx=admin_a, user_id=manager_a.user_id or 0, role=Role.USER)

    assert people.context_from_token(token, source=Source.API).role is Role.USER


def test_a_sign_out_here_ends_the_token_at_once(user_a: Context):
    token = _token(user_a)
    ctx = people.context_from_token(token, source=Source.API)

    people.sign_out(ctx=ctx)

    with pytest.raises(Unauthorized, match="session has ended"):
        people.context_from_token(token, source=Source.API)


def test_the_remembered_check_needs_a_read_first_and_keeps_every_refusal(
    user_a: Context, admin_b: Context
):
    token = _token(user_a)
    assert people.remembered_context(token, source=Source.API) is None  # never read here

    people.context_from_token(token, source=Source.API)
    remembered = people.remembered_context(token, source=Source.API)
    assert remembered is not None and remembered.user_id == user_a.user_id

    assert user_a.user_id is not None
    other_tenant = issue_token(user_id=user_a.user_id, tenant_id=admin_b.tenant_id, role="user")
    with pytest.raises(Unauthorized):
        people.remembered_context(other_tenant, source=Source.API)
    with pytest.raises(Unauthorized):
        people.remembered_context("not-a-token", source=Source.API)


def test_an_unknown_user_is_refused_and_not_remembered(tenant_a: Any):
    token = issue_token(user_id=987_654, tenant_id=tenant_a.id, role="admin")

    with pytest.raises(Unauthorized):
        people.context_from_token(token, source=Source.API)
    assert remembered_user(987_654) is None


def test_a_token_newer_than_the_remembered_row_is_checked_against_the_database(
    user_a: Context,
):
    # Signed out on another worker, then signed in again at once: this process still holds
    # the old row, but the new token's version proves it stale, so the row is read again.
    assert user_a.user_id is not None
    people.context_from_token(_token(user_a), source=Source.API)
    _changed_elsewhere(user_a.user_id, token_version=col(User.token_version) + 1)
    newer = issue_token(user_id=user_a.user_id, tenant_id=user_a.tenant_id, role="user", version=1)

    assert people.remembered_context(newer, source=Source.API) is None
    assert people.context_from_token(newer, source=Source.API).user_id == user_a.user_id
