"""What a (re)connecting tab may receive: nothing of a session it cannot prove.

A Reflex tab is its client token (kept in the browser's sessionStorage); every new socket
with that token starts with a hydrate that sends the tab's whole server state. The
session itself is the JWT in localStorage, which the hydrate carries along. Before the
hydrate runs, :class:`TabGuard` verifies that JWT (signature, expiry, revocation, the
user still active) and, unless it proves the same person this tab was last serving,
resets every state of the tab: a socket that reuses a signed-out or stolen client token
hydrates to public defaults only.
"""

from __future__ import annotations

from typing import Any

from reflex.middleware import Middleware
from reflex.state import BaseState, State, StateUpdate
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event

from stock_saas.errors import StockSaasError
from stock_saas.services import people
from stock_saas.services.core import Source
from stock_saas.state.auth import AuthState, call_service, reset_tab

__all__ = ["TabGuard"]

_HYDRATE_EVENTS = ("hydrate", "hydrate_and_load")


def _session_token(vars: Any) -> str:
    """The session JWT among the browser-storage values a hydrate carries ('' if none)."""
    if not isinstance(vars, dict):
        return ""
    owner = AuthState.get_full_name()
    for key, value in vars.items():
        state_name, _, name = str(key).rpartition(".")
        if state_name == owner and name.removesuffix(FIELD_MARKER) == "session_token":
            return str(value or "")
    return ""


async def _user_of(token: str) -> int:
    """The id of the active person ``token`` proves, or 0."""
    if not token:
        return 0
    try:
        ctx = await call_service(people.context_from_token, token=token, source=Source.UI)
    except StockSaasError:
        return 0
    return ctx.user_id or 0


class TabGuard(Middleware):
    """Reset a tab's states on a hydrate that does not prove the tab's own session."""

    async def preprocess(self, app: Any, state: BaseState, event: Event) -> StateUpdate | None:
        root_name = State.get_full_name()
        if event.name not in {f"{root_name}.{name}" for name in _HYDRATE_EVENTS}:
            return None
        auth = await state.get_state(AuthState)
        served = auth._user_id
        if not served:
            return None  # nothing of a session is in this tab (sign-out wipes it all)
        proven = await _user_of(_session_token((event.payload or {}).get("vars")))
        if proven != served:
            await reset_tab(state)
        return None
