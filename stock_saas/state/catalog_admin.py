"""Managers' upkeep of departments (in the sidebar) and categories (a dialog)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services import catalog
from stock_saas.services.core import Role
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.forms import FormState, text_field

__all__ = ["CatalogAdminState"]


class CatalogAdminState(FormState, AuthState):
    """The department and category dialogs: what is being edited and the inline message."""

    dialog: str = ""  # "" | "department" | "categories"
    editing_id: int = 0
    editing_name: str = ""

    @rx.event
    def start_department(self, department_id: int = 0, name: str = "") -> None:
        """Add (id 0) or rename a department."""
        self.dialog, self.editing_id = "department", int(department_id)
        self.editing_name = str(name)[:200]
        self._clear_problem()

    @rx.event
    @reports_errors
    async def start_categories(self) -> None:
        """Open the categories dialog with each category's number of items (read from now
        until the dialog closes, live changes included)."""
        ctx = await self._session(Role.MANAGER)
        dashboard = await self.get_state(DashboardState)
        dashboard._category_counts = True
        await dashboard._load_catalog(ctx)
        self.dialog, self.editing_id, self.editing_name = "categories", 0, ""
        self._clear_problem()

    @rx.event
    async def set_open(self, value: bool) -> None:
        if not value:
            self.dialog = ""
            self._clear_problem()
            (await self.get_state(DashboardState))._category_counts = False

    async def _refresh(self) -> None:
        dashboard = await self.get_state(DashboardState)
        await dashboard._reload(catalog_too=True)

    @rx.event
    @reports_errors
    async def save_department(self, form: dict[str, Any]) -> Any:
        name = text_field(form, "name")
        if not name:
            return self._problem("A department needs a name.", field="department-name")
        ctx = await self._session(Role.MANAGER)
        if self.editing_id:
            await call_service(
                catalog.rename_department, ctx=ctx, department_id=self.editing_id, name=name
            )
        else:
            await call_service(catalog.create_department, ctx=ctx, name=name)
        self.dialog = ""
        self._clear_problem()
        await self._refresh()
        return rx.toast.success(f"Department {name!r} saved.")

    @rx.event
    @reports_errors
    async def delete_department(self, department_id: int) -> Any:
        ctx = await self._session(Role.MANAGER)
        await call_service(catalog.delete_department, ctx=ctx, department_id=int(department_id))
        await self._refresh()
        return rx.toast.success("Department deleted.")

    @rx.event
    @reports_errors
    async def add_category(self, form: dict[str, Any]) -> Any:
        name = text_field(form, "name")
        if not name:
            return self._problem("Give the category a name.", field="new_category")
        ctx = await self._session(Role.MANAGER)
        await call_service(catalog.create_category, ctx=ctx, name=name)
        self._clear_problem()
        await self._refresh()
        return [rx.toast.success(f"Category {name!r} added."), rx.set_value("new_category", "")]

    @rx.event
    def start_rename_category(self, category_id: int, name: str) -> None:
        self.editing_id, self.editing_name = int(category_id), str(name)[:200]
        self._clear_problem()

    @rx.event
    @reports_errors
    async def rename_category(self, form: dict[str, Any]) -> Any:
        name = text_field(form, "name")
        if not name:
            return self._problem("A category needs a name.", field="rename-category")
        ctx = await self._session(Role.MANAGER)
        await call_service(catalog.rename_category, ctx=ctx, category_id=self.editing_id, name=name)
        self.editing_id, self.editing_name = 0, ""
        self._clear_problem()
        await self._refresh()
        return rx.toast.success(f"Category renamed to {name!r}.")

    @rx.event
    @reports_errors
    async def delete_category(self, category_id: int) -> Any:
        ctx = await self._session(Role.MANAGER)
        await call_service(catalog.delete_category, ctx=ctx, category_id=int(category_id))
        await self._refresh()
        return rx.toast.success("Category deleted.")
