"""API keys in the service layer: making, listing, revoking, verifying, suspending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text, update
from sqlmodel import col

from stock_saas import db
from stock_saas.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from stock_saas.models import ApiKey
from stock_saas.services import keys, people
from stock_saas.services.core import Context, Role, Source, utcnow
from stock_saas.services.keys import ApiKeyStatus


def _set(key_id: int, **values: object) -> None:
    with db.write_session() as session:
        session.execute(update(ApiKey).where(col(ApiKey.id) == key_id).values(**values))


def _last_used(key_id: int) -> object:
    with db.read_session() as session:
        return session.get(ApiKey, key_id).last_used_at  # type: ignore[union-attr]


def test_a_key_acts_in_its_tenant_with_its_role_as_key_name(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp sync", role=Role.MANAGER)
    ctx = keys.context_from_key(made.key)
    assert (ctx.tenant_id, ctx.role, ctx.source) == (admin_a.tenant_id, Role.MANAGER, Source.API)
    assert ctx.actor_name == "key:erp sync"
    assert ctx.user_id is None and ctx.key_id == made.id
    assert made.prefix.startswith("ssk_") and made.key.startswith(made.prefix + "_")


def test_only_the_hash_is_stored_and_the_list_never_shows_the_key(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="reader", read_only=True)
    with db.get_engine().connect() as connection:
        row = connection.execute(text("SELECT * FROM api_keys")).one()
    stored = " ".join(str(v) for v in row)
    secret = made.key.split("_", 2)[2]
    assert made.key not in stored and secret not in stored
    listed = keys.list_keys(ctx=admin_a)
    assert [k.name for k in listed] == ["reader"]
    assert made.key not in listed[0].model_dump_json() and secret not in repr(listed)
    assert listed[0].created_by == admin_a.actor_name
    assert listed[0].status is ApiKeyStatus.ACTIVE and listed[0].read_only


@pytest.mark.parametrize(
    "credential",
    ["ssk_000000000000_" + "x" * 43, "ssk_short", "nothing-like-a-key", ""],
)
def test_an_unknown_or_malformed_key_is_refused(admin_a: Context, credential: str):
    with pytest.raises(Unauthorized):
        keys.context_from_key(credential)


def test_a_key_with_a_right_prefix_but_wrong_secret_is_refused(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp")
    forged = made.prefix + "_" + "A" * 43
    with pytest.raises(Unauthorized):
        keys.context_from_key(forged)


def test_a_revoked_key_is_refused_at_once(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp")
    keys.context_from_key(made.key)
    keys.revoke_key(ctx=admin_a, key_id=made.id)
    with pytest.raises(Unauthorized, match="revoked"):
        keys.context_from_key(made.key)
    assert keys.list_keys(ctx=admin_a)[0].status is ApiKeyStatus.REVOKED


def test_an_expired_key_is_refused(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp", expires_in_days=1)
    assert made.expires_at is not None
    keys.context_from_key(made.key)
    _set(made.id, expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(Unauthorized, match="expired"):
        keys.context_from_key(made.key)
    assert keys.list_keys(ctx=admin_a)[0].status is ApiKeyStatus.EXPIRED


def test_a_read_only_key_may_read_but_not_write(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="dashboards", role=Role.ADMIN, read_only=True)
    assert keys.context_from_key(made.key, writes=False).role is Role.ADMIN
    with pytest.raises(Forbidden, match="read-only"):
        keys.context_from_key(made.key, writes=True)


def _second_admin(admin: Context) -> Context:
    other = people.create_user(
        ctx=admin, username="second-admin", password="a-long-password", role=Role.ADMIN
    )
    return Context(tenant_id=admin.tenant_id, role=Role.ADMIN, source=Source.API, user_id=other.id)


def test_a_key_is_suspended_while_its_creator_is_deactivated(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp")
    second = _second_admin(admin_a)
    people.update_user(ctx=second, user_id=admin_a.user_id, is_active=False)
    with pytest.raises(Unauthorized, match="suspended"):
        keys.context_from_key(made.key)
    assert keys.list_keys(ctx=second)[0].status is ApiKeyStatus.SUSPENDED
    people.update_user(ctx=second, user_id=admin_a.user_id, is_active=True)
    assert keys.context_from_key(made.key).tenant_id == admin_a.tenant_id


def test_a_key_never_outranks_its_creator(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp", role=Role.ADMIN)
    people.update_user(ctx=_second_admin(admin_a), user_id=admin_a.user_id, role=Role.MANAGER)
    assert keys.context_from_key(made.key).role is Role.MANAGER


def test_a_key_cannot_hold_a_role_above_its_maker():
    lower = Context(tenant_id=1, role=Role.MANAGER, source=Source.API, user_id=1)
    with pytest.raises(Forbidden):
        keys.create_key(ctx=lower, name="x", role=Role.ADMIN)


def test_a_key_cannot_make_keys(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp", role=Role.ADMIN)
    as_key = keys.context_from_key(made.key)
    with pytest.raises(Forbidden, match="not a person"):
        keys.create_key(ctx=as_key, name="second")


def test_only_admins_make_list_and_revoke_keys(admin_a: Context, manager_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp")
    with pytest.raises(Forbidden):
        keys.create_key(ctx=manager_a, name="mine")
    with pytest.raises(Forbidden):
        keys.list_keys(ctx=manager_a)
    with pytest.raises(Forbidden):
        keys.revoke_key(ctx=manager_a, key_id=made.id)


def test_another_tenants_admin_neither_sees_nor_revokes_a_key(admin_a: Context, admin_b):
    made = keys.create_key(ctx=admin_a, name="erp")
    assert keys.list_keys(ctx=admin_b) == []
    with pytest.raises(NotFound):
        keys.revoke_key(ctx=admin_b, key_id=made.id)
    assert keys.context_from_key(made.key).tenant_id == admin_a.tenant_id


def test_names_are_unique_in_a_tenant_and_checked(admin_a: Context, admin_b: Context):
    keys.create_key(ctx=admin_a, name="erp")
    with pytest.raises(Conflict):
        keys.create_key(ctx=admin_a, name="erp")
    assert keys.create_key(ctx=admin_b, name="erp").name == "erp"
    with pytest.raises(ValidationFailed):
        keys.create_key(ctx=admin_a, name="   ")
    with pytest.raises(ValidationFailed):
        keys.create_key(ctx=admin_a, name="x", expires_in_days=0)


def test_last_used_is_written_at_most_once_a_minute(admin_a: Context):
    made = keys.create_key(ctx=admin_a, name="erp")
    assert _last_used(made.id) is None
    keys.context_from_key(made.key)
    first = _last_used(made.id)
    assert first is not None
    keys.context_from_key(made.key)
    keys.context_from_key(made.key)
    assert _last_used(made.id) == first
    _set(made.id, last_used_at=utcnow() - timedelta(seconds=61))
    keys.context_from_key(made.key)
    assert _last_used(made.id) != first
