"""Two-factor sign-in (TOTP, RFC 6238): turning it on and off, recovery codes, and the
second step of sign-in.

Turning it on takes two steps: ``start_two_factor`` makes a secret (shown once, as text and
a QR code, never again) and ``confirm_two_factor`` switches it on once a code from the app
matches, answering ten single-use recovery codes (shown once; only their SHA-256 is kept).
A code is accepted for the current 30 s step and one step either side, and each step once:
the last step used is stored and a guarded UPDATE refuses it a second time, also when two
sign-ins race. The secret itself must stay readable to check codes, so it is stored as is.
An admin can reset a member's second factor (a person who lost their phone and codes):
that is logged with who did it. Under the tenant's policy (:mod:`.organisation`) an admin or
manager cannot turn theirs off, and a reset signs them out to set it up again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, Refused, Unauthorized
from stock_saas.models import RecoveryCode, User
from stock_saas.services.core import (
    Context,
    Role,
    View,
    get_scoped,
    require_person,
    require_role,
    scoped_columns,
    utcnow,
)
from stock_saas.services.people.organisation import (
    POLICY_KEEPS_IT_ON,
    end_unprotected_sessions,
    policy_requires_two_factor,
)

__all__ = [
    "CODE_REQUIRED",
    "RecoveryCodes",
    "TwoFactorSetup",
    "TwoFactorStatus",
    "check_second_factor",
    "confirm_two_factor",
    "disable_two_factor",
    "reset_two_factor",
    "start_two_factor",
    "two_factor_status",
]

log = logging.getLogger("stock_saas.security")

ISSUER = "Stock-SaaS"
STEP_SECONDS = 30
RECOVERY_CODES = 10
CODE_REQUIRED = (
    "Two-factor code required: send the 6-digit code from your app (or a recovery code) as otp."
)
BAD_CODE = "That two-factor code is wrong, expired or already used."


class TwoFactorStatus(View):
    enabled: bool
    pending: bool  # started, waiting for the first code
    recovery_codes_left: int


class TwoFactorSetup(View):
    """A new secret: shown once, to be scanned (``qr_data_uri``) or typed (``secret``)."""

    secret: str
    otpauth_uri: str
    qr_data_uri: str


class RecoveryCodes(View):
    """Ten single-use codes, shown once; each signs in instead of a TOTP code."""

    codes: list[str]


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def _me(session: Session, ctx: Context) -> User:
    return get_scoped(session, ctx, User, require_person(ctx), lock=True)


def two_factor_status(*, ctx: Context) -> TwoFactorStatus:
    with read_session() as session:
        user = get_scoped(session, ctx, User, require_person(ctx))
        left = session.execute(
            scoped_columns(ctx, RecoveryCode, func.count()).where(
                col(RecoveryCode.user_id) == user.id, col(RecoveryCode.used_at).is_(None)
            )
        ).scalar_one()
    enabled = user.totp_enabled_at is not None
    return TwoFactorStatus(
        enabled=enabled, pending=bool(user.totp_secret) and not enabled, recovery_codes_left=left
    )


def start_two_factor(*, ctx: Context) -> TwoFactorSetup:
    """A fresh secret for the caller (replacing an unconfirmed one); Conflict if it is on."""
    with write_session() as session:
        user = _me(session, ctx)
        if user.totp_enabled_at is not None:
            raise Conflict("Two-factor sign-in is already on; turn it off first.")
        user.totp_secret = pyotp.random_base32()
        session.add(user)
        secret, username = user.totp_secret, user.username
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return TwoFactorSetup(secret=secret, otpauth_uri=uri, qr_data_uri=qr)


def confirm_two_factor(*, ctx: Context, code: str) -> RecoveryCodes:
    """Switch it on when ``code`` matches the started secret; the recovery codes, once."""
    with write_session() as session:
        user = _me(session, ctx)
        if user.totp_enabled_at is not None or not user.totp_secret:
            raise Conflict("Start setting up two-factor sign-in first.")
        step = _matching_step(user.totp_secret, code)
        if step is None:
            raise Refused("That code does not match; check the app and try again.")
        user.totp_enabled_at, user.totp_last_step = utcnow(), step
        session.add(user)
        assert user.id is not None
        codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
        session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
        for code_text in codes:
            session.add(
                RecoveryCode(
                    tenant_id=user.tenant_id, user_id=user.id, code_hash=_digest(code_text)
                )
            )
    return RecoveryCodes(codes=codes)


def disable_two_factor(*, ctx: Context, code: str) -> None:
    """Turn it off, proven with a current code or a recovery code."""
    with write_session() as session:
        user = _me(session, ctx)
        if user.totp_enabled_at is None:
            raise Conflict("Two-factor sign-in is not on.")
        if policy_requires_two_factor(session, user):
            raise Conflict(POLICY_KEEPS_IT_ON)
        if not _use_code(session, user, code):
            raise Refused(BAD_CODE)
        _clear(session, user)


def reset_two_factor(*, ctx: Context, user_id: int) -> None:
    """An admin turns off a member's second factor (lost phone and codes); logged."""
    require_role(ctx, Role.ADMIN)
    with write_session() as session:
        user = get_scoped(session, ctx, User, user_id, lock=True)
        was_on = user.totp_enabled_at is not None
        _clear(session, user)
        session.flush()
        # Under the tenant's policy they set it up again at their next sign-in.
        end_unprotected_sessions(session, ctx, user_ids=[user_id])
    log.warning(
        "two-factor sign-in reset: user %s (%s) by %s in tenant %s (was %s)",
        user_id,
        user.username,
        ctx.actor_name,
        ctx.tenant_id,
        "on" if was_on else "off",
    )


def check_second_factor(user: User, otp: str | None) -> None:
    """The second step of sign-in for ``user`` (who has it on): Unauthorized unless
    ``otp`` is an unused current code or an unused recovery code."""
    if not otp or not otp.strip():
        raise Unauthorized(CODE_REQUIRED)
    with write_session() as session:
        if not _use_code(session, user, otp):
            raise Unauthorized(BAD_CODE)


def _clear(session: Session, user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))


def _matching_step(secret: str, code: str) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // STEP_SECONDS
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_code(session: Session, user: User, code: str) -> bool:
    """Spend ``code`` (a TOTP code, once per step, or a recovery code, once) of ``user``."""
    if len(code or "") > 40 or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        spent = session.execute(
            update(User)
            .where(col(User.id) == user.id)
            .where(or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step))
            .values(totp_last_step=step)
        )
        return spent.rowcount == 1  # type: ignore[attr-defined]
    spent = session.execute(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _digest(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    return spent.rowcount == 1  # type: ignore[attr-defined]
