"""People of a tenant: creation (argon2id), roles, departments, notification preferences."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from stock_saas.db import after_commit, read_session, write_session
from stock_saas.errors import Conflict, Unauthorized, ValidationFailed
from stock_saas.models import USERNAME_MAX, Department, NotificationPreference, User
from stock_saas.security.passwords import hash_password
from stock_saas.services.core import (
    Context,
    Role,
    Source,
    View,
    get_scoped,
    require_person,
    require_role,
    scoped,
    scoped_columns,
)
from stock_saas.services.people.organisation import end_unprotected_sessions
from stock_saas.services.people.recent_users import UserRow, forget_user, recent_user

__all__ = [
    "UserView",
    "add_user",
    "check_password_policy",
    "clean_username",
    "context_for_user",
    "context_from_row",
    "create_user",
    "get_me",
    "list_users",
    "update_me",
    "update_user",
]

PASSWORD_MIN = 8
PASSWORD_MAX = 128


class UserView(View):
    id: int
    username: str
    email: str | None
    role: Role
    tenant_id: int
    department_id: int | None
    notification_preference: NotificationPreference
    is_active: bool


def _view(user: User) -> UserView:
    return UserView.model_validate(user)


def clean_username(username: str) -> str:
    name = (username or "").strip()
    if not 3 <= len(name) <= USERNAME_MAX:
        raise ValidationFailed(f"Username must be 3 to {USERNAME_MAX} characters.")
    if not all(ch.isalnum() or ch in "._-@" for ch in name):
        raise ValidationFailed("Username may hold letters, digits and . _ - @ only.")
    return name


def check_password_policy(username: str, password: str) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise ValidationFailed(f"Password must be at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise ValidationFailed(f"Password must be at most {PASSWORD_MAX} characters.")
    if password.strip().lower() == username.strip().lower():
        # A rule across two fields, which a schema cannot state: 409, like the others.
        raise Conflict("Password must not be the username.")


def _clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 254 or "@" not in email or any(ch.isspace() for ch in email):
        raise ValidationFailed("That e-mail address does not look valid.")
    return email


def _check_department(session: Session, ctx: Context, department_id: int | None) -> None:
    if department_id is not None:
        get_scoped(session, ctx, Department, department_id)


def add_user(
    session: Session,
    *,
    tenant_id: int,
    username: str,
    password: str,
    role: Role,
    email: str | None = None,
    department_id: int | None = None,
    notification_preference: NotificationPreference = NotificationPreference.EMAIL,
) -> User:
    """Insert a user inside the caller's transaction (registration and bootstrap use it)."""
    username = clean_username(username)
    check_password_policy(username, password)
    user = User(
        tenant_id=tenant_id,
        username=username,
        email=_clean_email(email),
        password_hash=hash_password(password),
        role=Role(role).value,
        department_id=department_id,
        notification_preference=NotificationPreference(notification_preference).value,
    )
    taken = session.exec(
        select(User.id).where(func.lower(User.username) == username.lower())
    ).first()
    if taken is not None:
        raise Conflict("That username is taken; choose another.")
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        raise Conflict("That username is taken; choose another.") from exc
    return user


def create_user(
    *,
    ctx: Context,
    username: str,
    password: str,
    role: Role = Role.USER,
    email: str | None = None,
    department_id: int | None = None,
    notification_preference: NotificationPreference = NotificationPreference.EMAIL,
) -> UserView:
    """An admin adds a person to their own tenant."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        _check_department(session, ctx, department_id)
        user = add_user(
            session,
            tenant_id=ctx.tenant_id,
            username=username,
            password=password,
            role=role,
            email=email,
            department_id=department_id,
            notification_preference=notification_preference,
        )
        session.flush()
        return _view(user)


def list_users(*, ctx: Context) -> list[UserView]:
    require_role(ctx, Role.ADMIN)
    with read_session() as session:
        return [_view(u) for u in session.exec(scoped(ctx, User).order_by(col(User.username)))]


_UNSET: object = object()


def update_user(
    *,
    ctx: Context,
    user_id: int,
    role: Role | None = None,
    department_id: int | object | None = _UNSET,
    notification_preference: NotificationPreference | None = None,
    email: str | object | None = _UNSET,
    is_active: bool | None = None,
) -> UserView:
    """An admin changes a person of their tenant; the last active admin cannot be removed."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        user = get_scoped(session, ctx, User, user_id, lock=True)
        promoted = role is not None and Role(role).rank > Role(user.role).rank
        if role is not None:
            user.role = Role(role).value
        if department_id is not _UNSET:
            assert department_id is None or isinstance(department_id, int)
            _check_department(session, ctx, department_id)
            user.department_id = department_id
        if notification_preference is not None:
            user.notification_preference = NotificationPreference(notification_preference).value
        if email is not _UNSET:
            user.email = _clean_email(email if isinstance(email, str) else None)
        if is_active is not None:
            user.is_active = is_active
        session.add(user)
        session.flush()
        admins = session.execute(
            scoped_columns(ctx, User, func.count()).where(
                col(User.role) == Role.ADMIN.value, col(User.is_active)
            )
        ).scalar_one()
        if admins == 0:
            raise Conflict("A tenant needs at least one active admin; promote someone else first.")
        if promoted:
            # Promoted without a second factor under the tenant's policy: signed out, their
            # next sign-in sets one up.
            end_unprotected_sessions(session, ctx, user_ids=[user_id])
        after_commit(session, lambda: forget_user(user_id))  # this process: at once
        return _view(user)


def update_me(
    *,
    ctx: Context,
    notification_preference: NotificationPreference | None = None,
    email: str | object | None = _UNSET,
) -> UserView:
    """Anyone changes their own notification preference and e-mail address."""
    require_role(ctx, Role.USER)
    user_id = require_person(ctx)
    with write_session() as session:
        user = get_scoped(session, ctx, User, user_id)
        if notification_preference is not None:
            user.notification_preference = NotificationPreference(notification_preference).value
        if email is not _UNSET:
            user.email = _clean_email(email if isinstance(email, str) else None)
        session.add(user)
        return _view(user)


def get_me(*, ctx: Context) -> UserView:
    user_id = require_person(ctx)
    with read_session() as session:
        return _view(get_scoped(session, ctx, User, user_id))


def context_for_user(*, user_id: int, source: Source, token_version: int | None = None) -> Context:
    """A Context from the database's view of the user (not the token's claims), at most
    ``USER_TTL`` (one second) old: see :mod:`.recent_users`.

    With ``token_version`` (a token's ``ver``), Unauthorized unless it is the user's current
    version: a signed-out token is refused.
    """
    row = recent_user(user_id, token_version or 0)
    return context_from_row(user_id, row, source=source, token_version=token_version)


def context_from_row(
    user_id: int, user: UserRow | None, *, source: Source, token_version: int | None = None
) -> Context:
    """The Context of ``user`` (its row); Unauthorized if missing, inactive or signed out."""
    if user is None or not user.is_active:
        raise Unauthorized("This account is not active.")
    if token_version is not None and token_version != user.token_version:
        raise Unauthorized("This session has ended; sign in again.")
    return Context(
        tenant_id=user.tenant_id,
        role=Role(user.role),
        source=source,
        user_id=user_id,
        actor_name=user.username,
    )
