"""What the key services hand out: a key's record (never its secret) and a new key."""

from __future__ import annotations

from datetime import datetime

from stock_saas.models import ApiKey, ApiKeyStatus
from stock_saas.services.core import Role, UtcDatetime, View, as_utc, utcnow

__all__ = ["ApiKeyView", "NewApiKey", "status_of"]


class ApiKeyView(View):
    id: int
    name: str
    prefix: str
    role: Role
    read_only: bool
    created_by: str | None
    created_at: UtcDatetime
    expires_at: UtcDatetime | None
    last_used_at: UtcDatetime | None
    revoked: bool
    status: ApiKeyStatus


class NewApiKey(View):
    """A key just made: ``key`` is in this answer only (the database keeps its hash)."""

    id: int
    name: str
    prefix: str
    key: str
    role: Role
    read_only: bool
    expires_at: UtcDatetime | None


def status_of(
    *, revoked_at: datetime | None, expires_at: datetime | None, creator_active: bool
) -> ApiKeyStatus:
    if revoked_at is not None:
        return ApiKeyStatus.REVOKED
    if expires_at is not None and as_utc(expires_at) <= utcnow():
        return ApiKeyStatus.EXPIRED
    if not creator_active:
        return ApiKeyStatus.SUSPENDED
    return ApiKeyStatus.ACTIVE


def key_view(key: ApiKey, *, creator: str | None, creator_active: bool) -> ApiKeyView:
    assert key.id is not None
    return ApiKeyView(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        role=Role(key.role),
        read_only=key.read_only,
        created_by=creator,
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        revoked=key.revoked_at is not None,
        status=status_of(
            revoked_at=key.revoked_at, expires_at=key.expires_at, creator_active=creator_active
        ),
    )
