"""The organisation's own settings, and its security policy: "require two-factor sign-in
for every admin and manager".

While the policy is on, no admin or manager without a second factor holds a session: turning
it on signs out those who have none (their next sign-in sets one up, inside the sign-in),
as does promoting someone without one to manager or admin, or an admin resetting a member's
second factor; such a person cannot turn their own off. An admin turns it on only with
their own second factor on (they would otherwise lock themselves into the set-up step).
Changes are logged on ``stock_saas.security`` with the admin's name.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, col

from stock_saas.db import after_commit, read_session, write_session
from stock_saas.errors import Conflict
from stock_saas.models import Tenant, User
from stock_saas.services.core import (
    Context,
    Role,
    View,
    get_scoped,
    require_person,
    require_role,
    scoped_update,
)
from stock_saas.services.people.recent_users import forget_users

__all__ = [
    "POLICY_KEEPS_IT_ON",
    "SETUP_REQUIRED",
    "STAFF_ROLES",
    "OrganisationSettings",
    "end_unprotected_sessions",
    "must_set_up_two_factor",
    "organisation_settings",
    "policy_requires_two_factor",
    "set_two_factor_required",
]

log = logging.getLogger("stock_saas.security")

STAFF_ROLES = (Role.MANAGER.value, Role.ADMIN.value)
SETUP_REQUIRED = (
    "Two-factor set-up required: your organisation requires two-factor sign-in for admins "
    "and managers. Sign in on the web page (/login) to set it up, then send otp here."
)
POLICY_KEEPS_IT_ON = (
    "Your organisation requires two-factor sign-in for admins and managers: it stays on. "
    "An admin can reset it if you lost your phone."
)
OWN_FACTOR_FIRST = (
    "Turn on your own two-factor sign-in first (above): with the policy on, you could not "
    "sign in again without it."
)


class OrganisationSettings(View):
    """Your organisation as its members see it."""

    tenant_id: int
    name: str
    time_zone: str
    require_two_factor: bool


def _tenant(session: Session, ctx: Context, *, lock: bool = False) -> Tenant:
    tenant = session.get(Tenant, ctx.tenant_id, with_for_update=lock)
    assert tenant is not None and tenant.id is not None
    return tenant


def _view(tenant: Tenant) -> OrganisationSettings:
    assert tenant.id is not None
    return OrganisationSettings(
        tenant_id=tenant.id,
        name=tenant.display_name or tenant.name,
        time_zone=tenant.time_zone,
        require_two_factor=tenant.require_two_factor,
    )


def organisation_settings(*, ctx: Context) -> OrganisationSettings:
    """Your organisation's name, time zone and two-factor policy (anyone, keys too)."""
    require_role(ctx, Role.USER)
    with read_session() as session:
        return _view(_tenant(session, ctx))


def set_two_factor_required(*, ctx: Context, required: bool) -> OrganisationSettings:
    """Turn the policy on or off (an admin, signed in as a person; on: with their own
    second factor on). Turning it on signs out every admin and manager without one."""
    require_role(ctx, Role.ADMIN)
    me_id = require_person(ctx)
    with write_session() as session:
        tenant = _tenant(session, ctx, lock=True)
        if required and get_scoped(session, ctx, User, me_id).totp_enabled_at is None:
            raise Conflict(OWN_FACTOR_FIRST)
        was = tenant.require_two_factor
        tenant.require_two_factor = required
        session.add(tenant)
        session.flush()
        signed_out = end_unprotected_sessions(session, ctx) if required and not was else 0
        view = _view(tenant)
    if was != required:
        log.warning(
            "two-factor policy turned %s in tenant %s by %s (%s signed out to set it up)",
            "on" if required else "off",
            ctx.tenant_id,
            ctx.actor_name,
            signed_out,
        )
    return view


def policy_requires_two_factor(session: Session, user: User) -> bool:
    """Whether ``user``'s role and tenant policy call for a second factor."""
    if user.role not in STAFF_ROLES:
        return False
    tenant = session.get(Tenant, user.tenant_id)
    return tenant is not None and tenant.require_two_factor


def must_set_up_two_factor(user: User) -> bool:
    """At sign-in: ``user`` (right password, no second factor) must set one up first."""
    if user.totp_enabled_at is not None or user.role not in STAFF_ROLES:
        return False
    with read_session() as session:
        return policy_requires_two_factor(session, user)


def end_unprotected_sessions(
    session: Session, ctx: Context, *, user_ids: list[int] | None = None
) -> int:
    """While the policy is on: sign out (every token of) the admins and managers of the
    tenant without a second factor, or only those of ``user_ids``; how many."""
    if not _tenant(session, ctx).require_two_factor:
        return 0
    statement = scoped_update(ctx, User).where(
        col(User.role).in_(STAFF_ROLES), col(User.totp_enabled_at).is_(None)
    )
    if user_ids is not None:
        statement = statement.where(col(User.id).in_(user_ids))
    ended = session.execute(
        statement.values(token_version=User.token_version + 1).execution_options(
            synchronize_session="fetch"
        )
    )
    after_commit(session, lambda: forget_users(user_ids))  # this process: at once
    return int(ended.rowcount)  # type: ignore[attr-defined]
