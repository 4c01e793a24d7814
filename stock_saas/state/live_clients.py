"""Which browser tabs follow which tenant's live events (this backend process only).

A leaf module of the state layer: the session state registers and unregisters tabs here,
the live bridge (:mod:`.live`) reads it; neither imports the other through it.
"""

from __future__ import annotations

import threading

from stock_saas.services import events

__all__ = ["MayHaveMissed", "clients_of", "register_client", "tenants", "unregister_client"]


class MayHaveMissed(events.Event):
    """Not a change: the event transport reconnected, so this tenant's open tabs may have
    missed changes and read everything again."""

    @property
    def type(self) -> str:
        return "live.resync"


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


def tenants() -> list[int]:
    """The tenants with at least one open tab in this process."""
    with _lock:
        return sorted(tenant for tenant, tokens in _clients.items() if tokens)
