"""The signed-in session: a JWT kept in the browser, verified on the server for every event.

The token lives in ``localStorage`` (so a tab reload stays signed in), but a value from
the browser proves nothing by itself: :meth:`AuthState._session` verifies it and re-reads
the user (role, tenant, active) from the database on every event that touches data.
Identity is kept in backend-only vars; the public ``username``/``role`` only decide which
controls to show. :func:`reports_errors` is the one place that turns ``errors.py``
exceptions into toasts.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, ParamSpec, TypeVar

import reflex as rx
from reflex.state import BaseState

from stock_saas.errors import StockSaasError, Unauthorized
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source, require_role
from stock_saas.state.live_clients import unregister_client

__all__ = ["AuthState", "call_service", "reports_errors", "reset_tab"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
SIGNED_OUT = "Your session has ended; please sign in again."


async def call_service(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a (blocking, database-bound) service call off the event loop."""
    return await asyncio.to_thread(functools.partial(fn, **kwargs))


def reports_errors(handler: Callable[P, Any]) -> Callable[P, Any]:
    """Map domain errors raised by an async event handler to a toast (nothing changed).

    Unauthorized also clears the session and sends the browser to /login. A handler that
    yields (an async generator, e.g. to show progress first) stays one, so Reflex still
    streams its updates.
    """

    if inspect.isasyncgenfunction(handler):

        @functools.wraps(handler)
        async def streaming(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
            try:
                async for update in handler(*args, **kwargs):
                    yield update
            except StockSaasError as exc:
                yield await _error_updates(args[0], exc)

        return streaming

    @functools.wraps(handler)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return await handler(*args, **kwargs)
        except StockSaasError as exc:
            return await _error_updates(args[0], exc)

    return wrapper


async def _error_updates(state: object, exc: StockSaasError) -> Any:
    if isinstance(exc, Unauthorized):
        assert isinstance(state, AuthState)
        await state._forget()
        return [rx.toast.error(exc.detail or SIGNED_OUT), rx.redirect("/login")]
    return rx.toast.error(exc.detail, close_button=True)


class AuthState(rx.State):
    """Base of every page state: the session token and the verified identity."""

    session_token: str = rx.LocalStorage("", name="stock_saas_session", sync=True)
    username: str = ""
    role: str = ""
    _user_id: int = 0
    _tenant_id: int = 0
    _role: str = ""
    _verified_at: float = 0.0  # time.time() of the last successful verification

    @rx.var
    def signed_in(self) -> bool:
        return self.username != ""

    @rx.var
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER.value, Role.ADMIN.value)

    @rx.var
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    async def _session(self, role: Role = Role.USER) -> Context:
        """The verified Context of this browser's session (raises Unauthorized/Forbidden)."""
        token = self.session_token
        if not token:
            raise Unauthorized("Sign in first.")
        ctx = await call_service(people.context_from_token, token=token, source=Source.UI)
        self._adopt(ctx)
        require_role(ctx, role)
        return ctx

    def _adopt(self, ctx: Context) -> None:
        assert ctx.user_id is not None
        self._user_id, self._tenant_id, self._role = ctx.user_id, ctx.tenant_id, ctx.role.value
        self._verified_at = time.time()
        if self.username != ctx.actor_name:
            self.username = ctx.actor_name
        if self.role != ctx.role.value:
            self.role = ctx.role.value

    async def refresh_if_older(self, seconds: float) -> None:
        """Verify the session again when the last check is older than ``seconds``
        (Unauthorized when it has ended). The live bridge calls it before feeding a tab."""
        if time.time() - self._verified_at > float(seconds):
            await self._session()

    async def _forget(self) -> None:
        """End this tab's session: leave the live feed and reset every state of the tab."""
        unregister_client(self.router.session.client_token)
        await reset_tab(self)

    @rx.event
    async def sign_out(self) -> Any:
        """Revoke the person's tokens (every tab and device) and wipe this tab's states."""
        try:
            ctx = await self._session()
            await call_service(people.sign_out, ctx=ctx)
        except StockSaasError:
            pass  # the session had already ended; the tab is wiped all the same
        await self._forget()
        return [rx.redirect("/login"), rx.toast.info("Signed out.")]


def _tab_state_classes(cls: type[BaseState]) -> list[type[BaseState]]:
    found: list[type[BaseState]] = []
    for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
        found += [sub, *_tab_state_classes(sub)]
    return found


async def reset_tab(state: BaseState) -> None:
    """Every state of this tab (all of AuthState's substates, loaded or not) back to its
    defaults, backend-only vars included: nothing of the session survives in the tab."""
    auth = await state.get_state(AuthState)
    for cls in _tab_state_classes(AuthState):
        await auth.get_state(cls)  # loaded, so that the reset below reaches it
    auth.reset()
