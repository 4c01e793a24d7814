"""Signing in, registration, and turning a token back into a Context.

Sign-in and sign-up are rate limited per client address, and sign-in also per
(username, address), with a slow-down but never a block per username (:mod:`.throttle`).
Unknown usernames and wrong passwords give the same error after the same work (one argon2
verification).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from stock_saas.db import read_session, write_session
from stock_saas.errors import NotFound, TwoFactorSetupRequired, Unauthorized, ValidationFailed
from stock_saas.models import Department, User
from stock_saas.security.passwords import verify_against_nothing, verify_password
from stock_saas.security.tokens import issue_token, verify_token
from stock_saas.services.core import Context, Role, Source, View, find_scoped
from stock_saas.services.people.invites import redeem_invite
from stock_saas.services.people.organisation import SETUP_REQUIRED, must_set_up_two_factor
from stock_saas.services.people.recent_users import UserRow, remembered_user
from stock_saas.services.people.tenants import create_tenant
from stock_saas.services.people.throttle import (
    begin_sign_in,
    begin_sign_up,
    forget_attempt,
    sign_in_succeeded,
)
from stock_saas.services.people.throttle import warm_up as warm_up_throttle
from stock_saas.services.people.two_factor import (
    RecoveryCodes,
    TwoFactorSetup,
    check_second_factor,
    confirm_two_factor,
    start_two_factor,
)
from stock_saas.services.people.users import (
    UserView,
    add_user,
    context_for_user,
    context_from_row,
    get_me,
)

__all__ = [
    "BAD_CREDENTIALS",
    "Enrolled",
    "SignedIn",
    "begin_enrolment",
    "context_from_token",
    "finish_enrolment",
    "register",
    "remembered_context",
    "sign_in",
    "warm_up",
]

BAD_CREDENTIALS = "Incorrect username or password."


class SignedIn(View):
    token: str
    user: UserView


class Enrolled(View):
    """The end of the set-up step inside sign-in: the session, and the recovery codes
    (shown once)."""

    signed: SignedIn
    recovery_codes: RecoveryCodes


def sign_in(
    *, username: str, password: str, otp: str | None = None, client_ip: str | None = None
) -> SignedIn:
    """A token for valid credentials (and, with two-factor sign-in on, a valid ``otp``);
    Unauthorized otherwise; RateLimited after too many. A missing or wrong code counts as
    a failed sign-in like a wrong password."""
    username = (username or "").strip()
    attempt = begin_sign_in(username, client_ip)
    user = _user_named(username)
    if user is None or len(password or "") > 1024:
        verify_against_nothing(password[:1024] if password else "")
        ok = False
    else:
        ok = verify_password(password, user.password_hash) and user.is_active
    if not ok or user is None:
        raise Unauthorized(BAD_CREDENTIALS)  # counted as a failure by begin_sign_in
    assert user.id is not None
    if user.totp_enabled_at is not None:
        check_second_factor(user, otp)  # Unauthorized: counted like a wrong password
    elif must_set_up_two_factor(user):
        sign_in_succeeded(attempt)  # the password was right: no failure to count
        raise TwoFactorSetupRequired(SETUP_REQUIRED, user_id=user.id)
    sign_in_succeeded(attempt)
    return _session_for(user)


def warm_up() -> None:
    """What a sign-in runs, once, with nothing to find and nothing changed: the throttle's
    statements, the lookup of a username nobody has (none is empty) and one argon2id
    check. A new worker's first sign-in otherwise pays for the ORM's set-up, the
    statements' compilation, the pools' first connections and argon2id's first memory
    (40-75 ms on the 2-core machine, measured inside the app)."""
    warm_up_throttle()
    _user_named("")
    verify_against_nothing("")


def _user_named(username: str) -> User | None:
    """The user a sign-in names (usernames compare without case)."""
    with read_session() as session:
        return session.exec(
            select(User).where(func.lower(User.username) == username.lower())
        ).first()


def _session_for(user: User) -> SignedIn:
    assert user.id is not None
    token = issue_token(
        user_id=user.id, tenant_id=user.tenant_id, role=user.role, version=user.token_version
    )
    fresh = UserRow(user.tenant_id, user.role, user.username, user.is_active, user.token_version)
    ctx = context_from_row(user.id, fresh, source=Source.API)
    return SignedIn(token=token, user=get_me(ctx=ctx))


def begin_enrolment(*, user_id: int) -> TwoFactorSetup:
    """The set-up step inside the web sign-in, for the person whose password ``sign_in``
    just accepted (it raised TwoFactorSetupRequired with their id; no other caller): a new
    secret, shown once."""
    return start_two_factor(ctx=context_for_user(user_id=user_id, source=Source.UI))


def finish_enrolment(*, user_id: int, code: str) -> Enrolled:
    """Turn the second factor on with a code from the app, then sign in: the session only
    follows a code that matches the secret :func:`begin_enrolment` showed."""
    ctx = context_for_user(user_id=user_id, source=Source.UI)
    codes = confirm_two_factor(ctx=ctx, code=code)
    with read_session() as session:
        user = session.get(User, user_id)
        assert user is not None
    return Enrolled(signed=_session_for(user), recovery_codes=codes)


def context_from_token(token: str, *, source: Source) -> Context:
    """Verify ``token`` and build the Context from the user's current row (role, tenant,
    active, token version; at most a second old, :mod:`.recent_users`), so a demoted,
    deactivated or signed-out user loses access within a second."""
    claims = verify_token(token)
    ctx = context_for_user(user_id=claims.user_id, source=source, token_version=claims.version)
    return _same_tenant(ctx, claims.tenant_id)


def remembered_context(token: str, *, source: Source) -> Context | None:
    """``context_from_token`` without I/O: None when the user's row is not remembered
    (then call ``context_from_token``); raises as it does otherwise. For front doors on an
    event loop, which need not hand a request to a thread just to check its token."""
    claims = verify_token(token)
    row = remembered_user(claims.user_id, claims.version)
    if row is None:
        return None
    ctx = context_from_row(claims.user_id, row, source=source, token_version=claims.version)
    return _same_tenant(ctx, claims.tenant_id)


def _same_tenant(ctx: Context, tenant_id: int) -> Context:
    if ctx.tenant_id != tenant_id:
        raise Unauthorized("Invalid or expired token; sign in again.")
    return ctx


def register(
    *,
    username: str,
    password: str,
    email: str | None = None,
    organisation: str | None = None,
    invite_code: str | None = None,
    department_id: int | None = None,
    client_ip: str | None = None,
) -> UserView:
    """Sign up: with an invite, join its tenant (its role, a department of that tenant);
    without one, found a new organisation and become its admin. RateLimited past
    SIGNUP_MAX_PER_ADDRESS attempts from ``client_ip`` (a successful join does not count)."""
    attempt = begin_sign_up(client_ip)
    joined = _register(
        username=username,
        password=password,
        email=email,
        organisation=organisation,
        invite_code=invite_code,
        department_id=department_id,
    )
    if invite_code and invite_code.strip():
        forget_attempt(attempt)
    return joined


def _register(
    *,
    username: str,
    password: str,
    email: str | None,
    organisation: str | None,
    invite_code: str | None,
    department_id: int | None,
) -> UserView:
    with write_session() as session:
        if invite_code and invite_code.strip():
            invite = redeem_invite(session, code=invite_code)
            tenant_id, role = invite.tenant_id, Role(invite.role)
            chosen = department_id if department_id is not None else invite.department_id
            if chosen is not None:
                scope = Context(tenant_id=tenant_id, role=Role.USER, source=Source.UI)
                if find_scoped(session, scope, Department, id=chosen) is None:
                    raise NotFound("Choose one of the departments this invite offers.")
        else:
            if not organisation or not organisation.strip():
                raise ValidationFailed(
                    "Give an organisation name to create one, or an invite code to join one."
                )
            tenant = create_tenant(session, name=organisation)
            assert tenant.id is not None
            tenant_id, role, chosen = tenant.id, Role.ADMIN, None
        user = add_user(
            session,
            tenant_id=tenant_id,
            username=username,
            password=password,
            role=role,
            email=email,
            department_id=chosen,
        )
        session.flush()
        assert user.id is not None
        if invite_code and invite_code.strip():
            invite.used_by = user.id
            session.add(invite)
        return UserView.model_validate(user)
