"""people.sign_out: the service the dashboard's and the API's sign-out call."""

from __future__ import annotations

import pytest

from stock_saas.errors import Unauthorized
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source
from tests.conftest import TEST_PASSWORD


def test_sign_out_ends_every_session_of_the_caller_only(admin_a: Context, user_a: Context):
    mine = people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD).token
    theirs = people.sign_in(username=admin_a.actor_name, password=TEST_PASSWORD).token
    ctx = people.context_from_token(mine, source=Source.UI)

    people.sign_out(ctx=ctx)

    with pytest.raises(Unauthorized):
        people.context_from_token(mine, source=Source.UI)
    assert people.context_from_token(theirs, source=Source.UI).user_id == admin_a.user_id


def test_sign_out_needs_a_person(tenant_a: object, admin_a: Context):
    operator = Context(tenant_id=admin_a.tenant_id, role=Role.ADMIN, source=Source.CLI)
    with pytest.raises(Unauthorized):
        people.sign_out(ctx=operator)


def test_sign_out_cannot_reach_another_tenants_user(admin_a: Context, admin_b: Context):
    # A context naming B's user id but A's tenant (never built by a front door) changes
    # nothing: the update is scoped to the context's tenant.
    token_b = people.sign_in(username=admin_b.actor_name, password=TEST_PASSWORD).token
    forged = Context(
        tenant_id=admin_a.tenant_id, role=Role.ADMIN, source=Source.UI, user_id=admin_b.user_id
    )

    people.sign_out(ctx=forged)

    assert people.context_from_token(token_b, source=Source.UI).user_id == admin_b.user_id
