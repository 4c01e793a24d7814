"""The role page guards (component half): ``@admin_only`` / ``@managers_only`` on a page
function.

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

__all__ = ["admin_only", "managers_only"]


Page = Callable[[], rx.Component]


def _guard(allowed: rx.Var[bool], title: str) -> Callable[[Page], Page]:
    def decorate(page: Page) -> Page:
        @functools.wraps(page)
        def guarded() -> rx.Component:
            return app_shell(
                rx.cond(
                    allowed,
                    page(),
                    empty_state("lock", title, "Ask an admin of your organisation for access."),
                )
            )

        return guarded

    return decorate


admin_only = _guard(AuthState.is_admin, "Admins only")
"""``page``'s body in the app frame, for admins only (state half: ``AdminPageState``)."""

managers_only = _guard(AuthState.is_manager, "Managers and admins only")
"""``page``'s body in the app frame, for managers and admins (``ManagerPageState``)."""
