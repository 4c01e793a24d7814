"""The page-loading base state and the admin-only page guard's state half.

A page's state mixes in :class:`PageLoadState` (or :class:`AdminPageState`), implements
``_load_page(ctx)``, and names ``open_page`` as the page's on_load. ``open_page`` shows
the loading state, verifies the session with ``REQUIRED_ROLE`` (no session: /login; a
role too low: a toast and the dashboard), reads the page's data with the verified
Context, and clears ``loading``. The component half of the guard is
``components.guards.admin_only`` (or ``managers_only``), which renders a page's body for
those roles only.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from stock_saas.errors import Forbidden
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, reports_errors

__all__ = ["AdminPageState", "ManagerPageState", "PageLoadState"]


class PageLoadState(AuthState, mixin=True):
    """``loading`` while the page's data is read; ``open_page`` is the on_load."""

    loading: bool = True
    REQUIRED_ROLE: ClassVar[Role] = Role.USER

    async def _load_page(self, ctx: Context) -> Any:
        """Read what the page shows (may return events, e.g. a toast)."""
        raise NotImplementedError

    @rx.event
    @reports_errors
    async def open_page(self) -> Any:
        try:
            ctx = await self._session(self.REQUIRED_ROLE)
        except Forbidden:
            self.loading = False
            return [
                rx.toast.error(f"That page is for {self.REQUIRED_ROLE.value}s."),
                rx.redirect("/", replace=True),
            ]
        try:
            return await self._load_page(ctx)
        finally:
            if self.loading:  # only a change is sent (and re-renders the page)
                self.loading = False


class AdminPageState(PageLoadState, mixin=True):
    """A page for admins only (``components.guards.admin_only`` renders its body)."""

    REQUIRED_ROLE: ClassVar[Role] = Role.ADMIN


class ManagerPageState(PageLoadState, mixin=True):
    """A page for managers and admins (``components.guards.managers_only`` renders it)."""

    REQUIRED_ROLE: ClassVar[Role] = Role.MANAGER
