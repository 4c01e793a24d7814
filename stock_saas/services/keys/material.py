"""What a key looks like and how it is stored: ``ssk_<prefix>_<secret>``, SHA-256 only.

The secret part is 256 random bits, so a plain SHA-256 of the key is as strong as any
keyed hash or password hash here: nobody can guess a preimage, and a slow hash would only
cost every request CPU. A keyed HMAC was not chosen because it would tie every key to
the token signing key (``SECRET_KEY`` / the rotating key store): rotating that would
break every integration at once, for no gain against an attacker holding the database.
The 12 hex characters of the prefix are public (shown in the key list) and find the row;
the stored digest is then compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["KEY_MARK", "KeyMaterial", "digest", "matches", "new_key", "prefix_of"]

KEY_MARK = "ssk_"
PREFIX_LENGTH = 12  # hex characters after the mark
SECRET_BYTES = 32  # 256 bits
KEY_MAX = 100


class KeyMaterial:
    """A new key: the full key (shown once), its lookup prefix and its digest."""

    __slots__ = ("digest", "key", "prefix")

    def __init__(self) -> None:
        self.prefix = KEY_MARK + secrets.token_hex(PREFIX_LENGTH // 2)
        self.key = f"{self.prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        self.digest = digest(self.key)


def new_key() -> KeyMaterial:
    return KeyMaterial()


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(credential: str) -> str | None:
    """The lookup prefix of something shaped like a key, else None (e.g. a JWT)."""
    end = len(KEY_MARK) + PREFIX_LENGTH
    if (
        len(credential) > KEY_MAX
        or not credential.startswith(KEY_MARK)
        or credential[end : end + 1] != "_"
    ):
        return None
    return credential[:end]


def matches(credential: str, stored_digest: str) -> bool:
    """Constant-time comparison of ``credential``'s digest with the stored one."""
    return hmac.compare_digest(digest(credential), stored_digest)
