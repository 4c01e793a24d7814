"""Access tokens: HS256 JWTs with kid, exp, iat, iss, aud, sub, tenant, role and ver claims.

Only HS256 is accepted (the allowlist defeats ``alg: none`` and algorithm confusion).
The claims identify the user; front doors still re-read role and tenant from the
database on every request (``services.people.context_from_token``), and refuse a token
whose ``ver`` is not the user's current token version (signing out increments it).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from stock_saas.config import get_settings
from stock_saas.errors import Unauthorized
from stock_saas.security.secret_store import KeyRing, current_keys

__all__ = ["ALGORITHM", "TokenClaims", "issue_token", "verify_token"]

ALGORITHM = "HS256"
MEMO_SECONDS = 1.0  # how long a verified token's claims are reused (see verify_token)
MEMO_MAX = 10_000  # tokens remembered per process; past it the memo starts again
_memo: dict[str, tuple[float, str, str, TokenClaims]] = {}  # token -> until, kid, secret, claims
_memo_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: int
    tenant_id: int
    role: str
    expires_at: datetime
    version: int = 0


def issue_token(
    *,
    user_id: int,
    tenant_id: int,
    role: str,
    version: int = 0,
    ttl_seconds: int | None = None,
) -> str:
    """A signed token for this user; ``version`` is the user's current token version."""
    settings = get_settings()
    ring = current_keys()
    now = datetime.now(UTC)
    ttl = ttl_seconds if ttl_seconds is not None else settings.token_ttl_seconds
    claims = {
        "sub": str(user_id),
        "tenant_id": tenant_id,
        "role": role,
        "iat": now,
        "nbf": now - timedelta(seconds=5),
        "exp": now + timedelta(seconds=ttl),
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "jti": secrets.token_hex(8),
        "ver": version,
    }
    return jwt.encode(
        claims, ring.keys[ring.current_kid], algorithm=ALGORITHM, headers={"kid": ring.current_kid}
    )


def verify_token(token: str) -> TokenClaims:
    """The token's claims, or Unauthorized for anything not signed, valid and ours.

    A token verified in the last ``MEMO_SECONDS`` is not decoded again (the JWT decode and
    HMAC were a tenth of the API's CPU per request): its claims are reused while it has not
    expired and the key that signed it is still the same secret in the ring, so a dropped
    or replaced key refuses it at once."""
    ring = current_keys()
    memo = _memo.get(token)
    if memo is not None:
        until, kid, secret, claims = memo
        if (
            until > time.monotonic()
            and ring.keys.get(kid) == secret
            and claims.expires_at > datetime.now(UTC)
        ):
            return claims
    began = time.monotonic()
    kid, secret, claims = _decode(token, ring)
    with _memo_lock:
        if len(_memo) >= MEMO_MAX:
            _memo.clear()
        _memo[token] = (began + MEMO_SECONDS, kid, secret, claims)
    return claims


def _decode(token: str, ring: KeyRing) -> tuple[str, str, TokenClaims]:
    settings = get_settings()
    invalid = Unauthorized("Invalid or expired token; sign in again.")
    if not token or len(token) > 4096:
        raise invalid
    try:
        header = jwt.get_unverified_header(token)
        kid = str(header.get("kid"))
        secret = ring.keys.get(kid)
        if secret is None or header.get("alg") != ALGORITHM:
            raise invalid
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=settings.token_audience,
            issuer=settings.token_issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
        return (
            kid,
            secret,
            TokenClaims(
                user_id=int(claims["sub"]),
                tenant_id=int(claims["tenant_id"]),
                role=str(claims["role"]),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
                # Tokens issued before versions existed carry none: version 0, the default.
                version=_version(claims.get("ver", 0)),
            ),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise invalid from exc


def _version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ValueError("ver must be a small whole number")
    return value
