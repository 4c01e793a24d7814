"""The signing keys for tokens: SECRET_KEY, else a JSON key store on disk.

The store (``SECRET_STORE_FILE``, mode 0600) holds several keys with ids; new tokens are
signed with the current one, and retired keys still verify until tokens signed with them
have expired, so rotating (``scripts/rotate_secret.py``) logs nobody out. Every process
re-reads the file when it changes, so all workers follow a rotation.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from stock_saas.config import get_settings

__all__ = ["KeyRing", "create_store", "current_keys", "drop_key", "rotate"]

_lock = threading.Lock()
_cache: dict[Path, tuple[float, KeyRing]] = {}


@dataclass(frozen=True)
class KeyRing:
    current_kid: str
    keys: dict[str, str]  # kid -> secret


def _new_key() -> dict[str, object]:
    return {
        "kid": secrets.token_hex(8),
        "secret": secrets.token_urlsafe(48),
        "created_at": time.time(),
    }


def _write(path: Path, data: dict[str, object]) -> None:
    """Write atomically with mode 0600 (never world-readable, even for a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, path)


def create_store(path: Path) -> None:
    """Create the key store with one random key, unless it exists."""
    key = _new_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        json.dump({"current": key["kid"], "keys": [key]}, handle, indent=2)


def _read(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text()))


def _ring_from_store(path: Path) -> KeyRing:
    if not path.exists():
        create_store(path)
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
    data = _read(path)
    keys = {str(k["kid"]): str(k["secret"]) for k in data["keys"]}  # type: ignore[attr-defined]
    ring = KeyRing(current_kid=str(data["current"]), keys=keys)
    with _lock:
        _cache[path] = (mtime, ring)
    return ring


@functools.lru_cache(maxsize=4)
def _ring_of_secret(secret: str) -> KeyRing:
    kid = hashlib.sha256(secret.encode()).hexdigest()[:12]
    return KeyRing(current_kid=kid, keys={kid: secret})


def current_keys() -> KeyRing:
    """SECRET_KEY when set (one key), else the key store (created on first use)."""
    settings = get_settings()
    if settings.secret_key:
        return _ring_of_secret(settings.secret_key)
    return _ring_from_store(settings.secret_store_file.resolve())


def rotate(path: Path, *, keep_seconds: int) -> str:
    """Add a new current key; keep retired keys for ``keep_seconds``, drop older ones."""
    create_store(path)
    data = _read(path)
    now = time.time()
    kept = []
    for key in data["keys"]:  # type: ignore[attr-defined]
        if key["kid"] == data["current"]:
            key["retired_at"] = now
        retired = key.get("retired_at")
        if retired is None or now - float(retired) < keep_seconds:
            kept.append(key)
    new = _new_key()
    kept.append(new)
    _write(path, {"current": new["kid"], "keys": kept})
    return str(new["kid"])


def drop_key(path: Path, kid: str) -> None:
    """Remove one retired key at once (tokens signed with it stop verifying)."""
    data = _read(path)
    if data["current"] == kid:
        raise ValueError("Refusing to drop the current key; rotate first.")
    keys = [k for k in data["keys"] if k["kid"] != kid]  # type: ignore[attr-defined]
    _write(path, {"current": data["current"], "keys": keys})
