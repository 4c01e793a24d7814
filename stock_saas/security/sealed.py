"""Sealed values: small JSON objects a client may hold but not alter (page cursors).

``<base64url JSON>.<base64url HMAC-SHA256>`` with a key derived from the current signing
key (never the key itself, so a sealed value can never pass for a token); the JSON names
the key it was sealed with, so a rotation (``scripts/rotate_secret.py``) keeps values
sealed with a retired key readable while that key is kept.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from stock_saas.security.secret_store import current_keys

__all__ = ["MAX_SEALED", "open_sealed", "seal"]

MAX_SEALED = 1024
_PURPOSE = b"stock-saas sealed value v1"


def _mac(secret: str, body: bytes) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, body, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(value: dict[str, Any]) -> str:
    """``value`` (JSON-able) signed with the current key; opaque to the client."""
    ring = current_keys()
    body = json.dumps({**value, "kid": ring.current_kid}, separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(_mac(ring.keys[ring.current_kid], body))}"


def open_sealed(sealed: str) -> dict[str, Any]:
    """The value ``seal`` made, or ValueError for anything altered, foreign or malformed."""
    if not sealed or len(sealed) > MAX_SEALED or sealed.count(".") != 1:
        raise ValueError("malformed")
    body_text, mac_text = sealed.split(".")
    try:
        body, mac = _unb64(body_text), _unb64(mac_text)
        value = json.loads(body)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("malformed") from exc
    if not isinstance(value, dict):
        raise ValueError("malformed")
    secret = current_keys().keys.get(str(value.get("kid")))
    if secret is None or not hmac.compare_digest(mac, _mac(secret, body)):
        raise ValueError("not sealed by us")
    return value
