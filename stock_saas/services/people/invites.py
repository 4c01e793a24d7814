"""Invite codes: single-use, expiring, made by admins to let people join their tenant.

Only a SHA-256 of the code is stored; the code itself is shown once, to its creator.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from pydantic import computed_field
from sqlmodel import Session, col, select

from stock_saas.db import read_session, write_session
from stock_saas.errors import NotFound, ValidationFailed
from stock_saas.models import Department, Invite, InviteStatus
from stock_saas.services.catalog import DepartmentView, list_departments
from stock_saas.services.core import (
    Context,
    Role,
    Source,
    UtcDatetime,
    View,
    as_utc,
    get_scoped,
    require_role,
    scoped,
    scoped_update,
    utcnow,
)

__all__ = [
    "InviteView",
    "NewInvite",
    "create_invite",
    "invite_departments",
    "list_invites",
    "redeem_invite",
    "revoke_invite",
]

MAX_TTL_HOURS = 24 * 30
# 404: no usable invite by that code (the schema states the code's form; only the database
# knows whether one is usable).
INVALID = "This invite code is not valid, was already used, or has expired."


class NewInvite(View):
    """A new invite, with its code: shown once, never stored (only its hash is)."""

    id: int
    code: str
    role: Role
    department_id: int | None
    expires_at: UtcDatetime


class InviteView(View):
    id: int
    code_hint: str
    role: Role
    department_id: int | None
    created_at: UtcDatetime
    expires_at: UtcDatetime
    used_at: UtcDatetime | None
    revoked_at: UtcDatetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> InviteStatus:
        if self.revoked_at:
            return InviteStatus.REVOKED
        if self.used_at:
            return InviteStatus.USED
        return InviteStatus.EXPIRED if self.expires_at <= utcnow() else InviteStatus.OPEN


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def create_invite(
    *, ctx: Context, role: Role = Role.USER, department_id: int | None = None, ttl_hours: int = 72
) -> NewInvite:
    require_role(ctx, Role.ADMIN)
    if not 1 <= ttl_hours <= MAX_TTL_HOURS:
        raise ValidationFailed(f"An invite lasts 1 to {MAX_TTL_HOURS} hours.")
    code = secrets.token_urlsafe(12)
    with write_session() as session:
        if department_id is not None:
            get_scoped(session, ctx, Department, department_id)
        invite = Invite(
            tenant_id=ctx.tenant_id,
            code_hash=_digest(code),
            code_hint=code[:4],
            role=Role(role).value,
            department_id=department_id,
            created_by=ctx.user_id,
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        )
        session.add(invite)
        session.flush()
        assert invite.id is not None
        return NewInvite(
            id=invite.id,
            code=code,
            role=invite.role,
            department_id=department_id,
            expires_at=invite.expires_at,
        )


def list_invites(*, ctx: Context) -> list[InviteView]:
    require_role(ctx, Role.ADMIN)
    with read_session() as session:
        rows = session.exec(scoped(ctx, Invite).order_by(col(Invite.id).desc())).all()
    return [InviteView.model_validate(row) for row in rows]


def revoke_invite(*, ctx: Context, invite_id: int) -> None:
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        invite = get_scoped(session, ctx, Invite, invite_id)
        if invite.revoked_at is None and invite.used_at is None:
            invite.revoked_at = utcnow()
            session.add(invite)


def _usable(session: Session, code: str) -> Invite:
    if not code or len(code) > 100:
        raise NotFound(INVALID)
    invite = session.exec(select(Invite).where(Invite.code_hash == _digest(code))).first()
    if (
        invite is None
        or invite.used_at is not None
        or invite.revoked_at is not None
        or as_utc(invite.expires_at) <= utcnow()
    ):
        raise NotFound(INVALID)
    return invite


def invite_departments(*, invite_code: str) -> list[DepartmentView]:
    """The departments a holder of a valid invite may choose from (public, for sign-up)."""
    with read_session() as session:
        invite = _usable(session, invite_code)
    reader = Context(tenant_id=invite.tenant_id, role=Role.USER, source=Source.UI)
    return [
        DepartmentView(id=d.id, name=d.name, is_default=d.is_default)
        for d in list_departments(ctx=reader)
    ]


def redeem_invite(session: Session, *, code: str) -> Invite:
    """Mark a valid invite used (guarded, so two sign-ups cannot share one code)."""
    invite = _usable(session, code)
    ctx = Context(tenant_id=invite.tenant_id, role=Role.ADMIN, source=Source.UI)
    result = session.execute(
        scoped_update(ctx, Invite)
        .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(INVALID)
    return invite
