"""argon2id password hashes through passlib (OWASP parameters: 19 MiB, t=2, p=1)."""

from __future__ import annotations

from passlib.context import CryptContext

__all__ = ["hash_password", "verify_against_nothing", "verify_password"]

_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)
# Verified when the username is unknown, so that case costs the same time as a wrong password.
_DUMMY_HASH = _context.hash("not-a-real-password-but-the-same-work")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bool(_context.verify(password, password_hash))
    except (ValueError, TypeError):
        return False


def verify_against_nothing(password: str) -> bool:
    """Spend one verification's time and fail (for unknown usernames)."""
    _context.verify(password, _DUMMY_HASH)
    return False
