"""Admins make, list and revoke their tenant's API keys.

Only a signed-in admin (a person, not another key) makes keys, so every key has a
creator it can never outrank: its role is at most the creator's role at creation, and at
every use it is capped by the creator's current role. Names are unique in the tenant
(audit rows name the key as ``key:<name>``, which must stay unambiguous).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, Forbidden, ValidationFailed
from stock_saas.models import KEY_NAME_MAX, ApiKey, User
from stock_saas.services.core import (
    Context,
    Role,
    clean_name,
    get_scoped,
    require_person,
    require_role,
    scoped_rows,
    utcnow,
)
from stock_saas.services.keys.material import new_key
from stock_saas.services.keys.views import ApiKeyView, NewApiKey, key_view

__all__ = ["MAX_EXPIRY_DAYS", "create_key", "list_keys", "revoke_key"]

MAX_EXPIRY_DAYS = 3650


def create_key(
    *,
    ctx: Context,
    name: str,
    role: Role = Role.USER,
    read_only: bool = False,
    expires_in_days: int | None = None,
) -> NewApiKey:
    """A new key of the caller's tenant; the returned ``key`` is never shown again."""
    require_role(ctx, Role.ADMIN)
    creator_id = require_person(ctx)
    name = clean_name(name, "key name", max_length=KEY_NAME_MAX)
    role = Role(role)
    if role.rank > ctx.role.rank:
        raise Forbidden("A key cannot hold a higher role than yours.")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValidationFailed(f"A key expires in 1 to {MAX_EXPIRY_DAYS} days, or never.")
    material = new_key()
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    key = ApiKey(
        tenant_id=ctx.tenant_id,
        name=name,
        prefix=material.prefix,
        key_hash=material.digest,
        role=role.value,
        read_only=read_only,
        created_by=creator_id,
        expires_at=expires_at,
    )
    try:
        with write_session() as session:
            session.add(key)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A key named {name!r} exists already; choose another name.") from exc
    assert key.id is not None
    return NewApiKey(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        key=material.key,
        role=role,
        read_only=read_only,
        expires_at=expires_at,
    )


def list_keys(*, ctx: Context) -> list[ApiKeyView]:
    """Every key of the tenant, newest first, with who made it and whether it works."""
    require_role(ctx, Role.ADMIN)
    query = (
        scoped_rows(ctx, ApiKey, col(User.username), col(User.is_active))
        .outerjoin(User, col(User.id) == col(ApiKey.created_by))
        .order_by(col(ApiKey.id).desc())
    )
    with read_session() as session:
        rows = session.execute(query).all()
    return [
        key_view(key, creator=username, creator_active=bool(active))
        for key, username, active in rows
    ]


def revoke_key(*, ctx: Context, key_id: int) -> None:
    """Revoke at once: the next request with the key is refused (401)."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        key = get_scoped(session, ctx, ApiKey, key_id)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            session.add(key)
