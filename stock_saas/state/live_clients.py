"""Which browser tabs follow which tenant's live events (this backend process only).

A leaf module: the session state registers and unregisters tabs here, the live bridge
(:mod:`.live`) reads it; neither imports the other through it.
"""

from __future__ import annotations

import threading

__all__ = ["clients_of", "register_client", "unregister_client"]

_clients: dict[int, set[str]] = {}  # tenant id -> Reflex client tokens (one per tab)
_tenant_of: dict[str, int] = {}
_lock = threading.Lock()


def register_client(client_token: str, *, tenant_id: int) -> None:
    """Let the browser tab ``client_token`` receive its tenant's live events."""
    if not client_token:
        return
    with _lock:
        previous = _tenant_of.get(client_token)
        if previous is not None and previous != tenant_id:
            _clients.get(previous, set()).discard(client_token)
        _tenant_of[client_token] = tenant_id
        _clients.setdefault(tenant_id, set()).add(client_token)


def unregister_client(client_token: str) -> None:
    with _lock:
        tenant_id = _tenant_of.pop(client_token, None)
        if tenant_id is not None:
            _clients.get(tenant_id, set()).discard(client_token)


def clients_of(tenant_id: int) -> list[str]:
    with _lock:
        return sorted(_clients.get(tenant_id, ()))
