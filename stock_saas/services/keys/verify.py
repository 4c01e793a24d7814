"""Turning a presented key into a Context, on every request (no cache: a revoked key, a
deactivated or demoted creator take effect on the next request).

One single-row read by the public prefix, joined with the creator's row, then a
constant-time comparison of SHA-256 digests. ``last_used_at`` is written at most once a
minute per key: only when the row read says it is older than that, and then with a
guarded UPDATE, so concurrent requests on several workers write it once between them.

What a key may do: its tenant's data with its role, capped by its creator's current role
(a key never outranks the admin who made it); while the creator is deactivated the key is
refused (status ``suspended`` in the list; it works again if they are reactivated, and
another admin can revoke it). Read-only keys are refused (403) on any call that writes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col

from stock_saas.db import autocommit_connection, write_session
from stock_saas.errors import Forbidden, Unauthorized
from stock_saas.models import ApiKey, ApiKeyStatus, User
from stock_saas.services.core import Context, Role, Source, as_utc, utcnow
from stock_saas.services.keys.material import matches, prefix_of
from stock_saas.services.keys.rate import check_key_rate
from stock_saas.services.keys.views import status_of
from stock_saas.services.people import context_from_token, remembered_context

__all__ = [
    "INVALID_KEY",
    "context_from_bearer",
    "context_from_key",
    "is_key",
    "remembered_bearer_context",
]

INVALID_KEY = "Invalid, revoked or expired API key."
SUSPENDED = "This API key is suspended: the admin who made it is deactivated."
READ_ONLY = "This API key is read-only."
TOUCH_EVERY = timedelta(minutes=1)

_COLUMNS: list[Any] = [
    col(ApiKey.id),
    col(ApiKey.tenant_id),
    col(ApiKey.name),
    col(ApiKey.key_hash),
    col(ApiKey.role),
    col(ApiKey.read_only),
    col(ApiKey.expires_at),
    col(ApiKey.revoked_at),
    col(ApiKey.last_used_at),
    col(User.is_active).label("creator_active"),
    col(User.role).label("creator_role"),
    col(User.tenant_id).label("creator_tenant"),
]
_BY_PREFIX: Select[Any] = (
    sa_select(*_COLUMNS)
    .outerjoin(User, col(User.id) == col(ApiKey.created_by))
    .where(col(ApiKey.prefix) == bindparam("prefix"))
)


def is_key(credential: str) -> bool:
    """True when ``credential`` is shaped like an API key (not a token)."""
    return prefix_of(credential) is not None


def context_from_key(credential: str, *, writes: bool = False, metered: bool = True) -> Context:
    """The Context of a valid key; Unauthorized for an unknown, revoked, expired or
    suspended key; Forbidden when a read-only key is used for a call that ``writes``;
    RateLimited past the key's rate (``metered``: counted only once the key is verified,
    so nobody can spend another key's allowance by sending its public prefix)."""
    prefix = prefix_of(credential)
    if prefix is None:
        raise Unauthorized(INVALID_KEY)
    with autocommit_connection() as connection:
        key = connection.execute(_BY_PREFIX, {"prefix": prefix}).first()
        if key is None or not matches(credential, key.key_hash):
            raise Unauthorized(INVALID_KEY)
        status = status_of(
            revoked_at=key.revoked_at,
            expires_at=key.expires_at,
            creator_active=bool(key.creator_active) and key.creator_tenant == key.tenant_id,
        )
        if status is ApiKeyStatus.SUSPENDED:
            raise Unauthorized(SUSPENDED)
        if status is not ApiKeyStatus.ACTIVE:
            raise Unauthorized(INVALID_KEY)
        if writes and key.read_only:
            raise Forbidden(READ_ONLY)
    if metered:
        check_key_rate(prefix)
    _touch(key.id, key.last_used_at)
    role = min(Role(key.role), Role(key.creator_role), key=lambda r: r.rank)
    return Context(
        tenant_id=key.tenant_id,
        role=role,
        source=Source.API,
        actor_name=f"key:{key.name}",
        key_id=key.id,
    )


def _touch(key_id: int, last_used_at: datetime | None) -> None:
    now = utcnow()
    cutoff = now - TOUCH_EVERY
    if last_used_at is not None and as_utc(last_used_at) > cutoff:
        return
    with write_session() as session:
        session.execute(
            update(ApiKey)
            .where(col(ApiKey.id) == key_id)
            .where(or_(col(ApiKey.last_used_at).is_(None), col(ApiKey.last_used_at) <= cutoff))
            .values(last_used_at=now)
        )


def context_from_bearer(
    credential: str, *, source: Source, writes: bool = False, metered: bool = True
) -> Context:
    """The Context of a Bearer credential: an API key, or else a sign-in token."""
    if is_key(credential):
        return context_from_key(credential, writes=writes, metered=metered)
    return context_from_token(credential, source=source)


def remembered_bearer_context(credential: str, *, source: Source) -> Context | None:
    """``context_from_bearer`` when it needs no I/O (a sign-in token whose user's row was
    read less than a second ago), else None: then call ``context_from_bearer``. Keys are
    always checked against the database."""
    if is_key(credential):
        return None
    return remembered_context(credential, source=source)
