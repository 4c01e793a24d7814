"""The admin-only page guard (component half): ``@admin_only`` on a page function.

    @admin_only
    def audit_page() -> rx.Component: ...

wraps the page in the signed-in frame and renders its body for admins only (others see
"Admins only"). The state half, ``state.page_load.AdminPageState``, is what protects the
data: its ``open_page`` (the page's on_load) sends anyone else back to the dashboard, and
every handler re-checks the role through the services.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import reflex as rx

from stock_saas.components.layout import app_shell, empty_state
from stock_saas.state.auth import AuthState

__all__ = ["admin_only"]


def admin_only(page: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    """``page``'s body in the app frame, for admins only."""

    @functools.wraps(page)
    def guarded() -> rx.Component:
        return app_shell(
            rx.cond(
                AuthState.is_admin,
                page(),
                empty_state("lock", "Admins only", "Ask an admin of your organisation for access."),
            )
        )

    return guarded
