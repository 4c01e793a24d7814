"""Access tokens: HS256 JWTs with kid, exp, iat, iss, aud, sub, tenant, role and ver claims.

Only HS256 is accepted (the allowlist defeats ``alg: none`` and algorithm confusion).
The claims identify the user; front doors still re-read role and tenant from the
database on every request (``services.people.context_from_token``), and refuse a token
whose ``ver`` is not the user's current token version (signing out increments it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from stock_saas.config import get_settings
from stock_saas.errors import Unauthorized
from stock_saas.security.secret_store import current_keys

__all__ = ["ALGORITHM", "TokenClaims", "issue_token", "verify_token"]

ALGORITHM = "HS256"


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
    """The token's claims, or Unauthorized for anything not signed, valid and ours."""
    settings = get_settings()
    invalid = Unauthorized("Invalid or expired token; sign in again.")
    if not token or len(token) > 4096:
        raise invalid
    try:
        header = jwt.get_unverified_header(token)
        secret = current_keys().keys.get(str(header.get("kid")))
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
        return TokenClaims(
            user_id=int(claims["sub"]),
            tenant_id=int(claims["tenant_id"]),
            role=str(claims["role"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            # Tokens issued before versions existed carry none: version 0, the default.
            version=_version(claims.get("ver", 0)),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise invalid from exc


def _version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ValueError("ver must be a small whole number")
    return value
