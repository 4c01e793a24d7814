"""The stock dialogs: add, issue, return, restock, transfer, edit item and threshold.

A dialog validates its fields before anything is sent (message inside the dialog); a
service error (not enough stock, a duplicate name, a role too low) becomes a toast and
the dialog stays open. The row a dialog acts on is looked up in this session's own
server-side rows, never taken from the browser.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services import catalog, stock
from stock_saas.services.core import Role
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.forms import FormProblem, FormState, text_field, whole_number
from stock_saas.state.scan import ScanState
from stock_saas.state.views import StockLine

__all__ = ["MOVEMENTS", "ActionState"]

MOVEMENTS = ("issue", "return", "restock", "transfer", "edit")
_PAST = {"issue": "Issued", "return": "Returned", "restock": "Restocked"}


class ActionState(FormState, AuthState):
    """Which dialog is open, on which stock level, and its inline message."""

    dialog: str = ""
    target: StockLine = StockLine()
    add_barcode: str = ""

    async def _find_level(self, level_id: int) -> StockLine | None:
        dashboard = await self.get_state(DashboardState)
        scan = await self.get_state(ScanState)
        for row in [*dashboard.rows, *scan.levels]:
            if row.id == level_id:
                return row
        return None

    @rx.event
    async def start(self, action: str, level_id: int) -> Any:
        """Open the ``action`` dialog for the stock level ``level_id`` shown on this page."""
        if action not in MOVEMENTS:
            return None
        row = await self._find_level(int(level_id))
        if row is None:
            return rx.toast.error("That row is no longer on the page; refresh and try again.")
        self.target, self.dialog = row, action
        self._clear_problem()
        return None

    @rx.event
    def start_add(self, barcode: str = "") -> None:
        self.add_barcode = str(barcode or "")[:64]
        self.target, self.dialog = StockLine(), "add"
        self._clear_problem()

    @rx.event
    def set_open(self, value: bool) -> None:
        if not value:
            self._close()

    def _close(self) -> None:
        self.dialog = ""
        self._clear_problem()

    async def _show_change(self, change: stock.StockChange) -> None:
        dashboard = await self.get_state(DashboardState)
        dashboard._apply_level(
            change.stock_level_id, change.quantity, change.threshold, change.audit_id
        )
        scan = await self.get_state(ScanState)
        scan._apply_level(change.stock_level_id, change.quantity, change.threshold)

    # ---- issue / return / restock ------------------------------------------------

    @rx.event
    @reports_errors
    async def submit_movement(self, form: dict[str, Any]) -> Any:
        action, row = self.dialog, self.target
        if action not in _PAST or not row.id:
            return None
        try:
            quantity = whole_number(form, "quantity", "quantity", minimum=1)
            if action == "issue" and quantity > row.quantity:
                raise FormProblem(
                    f"Only {row.quantity} on hand in {row.department}; issue at most that.",
                    field="quantity",
                )
        except FormProblem as problem:
            return self._problem(problem)
        ctx = await self._session(Role.MANAGER if action == "restock" else Role.USER)
        move = {"issue": stock.issue_stock, "return": stock.return_stock}.get(action, stock.restock)
        change = await call_service(
            move,
            ctx=ctx,
            item=row.item_id,
            quantity=quantity,
            department=row.department_id,
            note=text_field(form, "note", limit=500),
        )
        self._close()
        await self._show_change(change)
        return rx.toast.success(
            f"{_PAST[action]} {quantity} x {change.name} ({change.department}): "
            f"{change.quantity} on hand."
        )

    # ---- transfer ----------------------------------------------------------------

    @rx.event
    @reports_errors
    async def submit_transfer(self, form: dict[str, Any]) -> Any:
        row = self.target
        if self.dialog != "transfer" or not row.id:
            return None
        try:
            quantity = whole_number(form, "quantity", "quantity", minimum=1)
            if quantity > row.quantity:
                raise FormProblem(
                    f"Only {row.quantity} on hand in {row.department}.", field="quantity"
                )
            destination = str(form.get("to_department") or "")
            if not destination.isdigit():
                raise FormProblem(
                    "Choose the department to move the stock to.", field="to_department"
                )
            if int(destination) == row.department_id:
                raise FormProblem("Choose a different department.", field="to_department")
        except FormProblem as problem:
            return self._problem(problem)
        ctx = await self._session(Role.MANAGER)
        moved = await call_service(
            stock.transfer_stock,
            ctx=ctx,
            item=row.item_id,
            quantity=quantity,
            from_department=row.department_id,
            to_department=int(destination),
            note=text_field(form, "note", limit=500),
        )
        self._close()
        dashboard = await self.get_state(DashboardState)
        await dashboard._reload(catalog_too=True)
        return rx.toast.success(
            f"Moved {quantity} x {moved.source.name} from {moved.source.department} "
            f"to {moved.destination.department}."
        )

    # ---- edit item and threshold ---------------------------------------------------

    @rx.event
    @reports_errors
    async def submit_edit(self, form: dict[str, Any]) -> Any:
        row = self.target
        if self.dialog != "edit" or not row.id:
            return None
        try:
            name = text_field(form, "name")
            if not name:
                raise FormProblem("The item needs a name.", field="edit-name")
            threshold = whole_number(form, "threshold", "threshold")
        except FormProblem as problem:
            return self._problem(problem)
        category = str(form.get("category_id") or "")
        ctx = await self._session(Role.MANAGER)
        await call_service(
            catalog.update_item,
            ctx=ctx,
            item_id=row.item_id,
            name=name,
            barcode=text_field(form, "barcode", limit=64),
            category=int(category) if category.isdigit() else None,
            notes=text_field(form, "notes", limit=2000),
        )
        if threshold != row.threshold:
            await call_service(
                stock.set_threshold,
                ctx=ctx,
                item=row.item_id,
                threshold=threshold,
                department=row.department_id,
            )
        self._close()
        dashboard = await self.get_state(DashboardState)
        await dashboard._reload(catalog_too=True)
        return rx.toast.success(f"Saved {name}.")

    # ---- add -----------------------------------------------------------------------

    @rx.event
    @reports_errors
    async def submit_add(self, form: dict[str, Any]) -> Any:
        if self.dialog != "add":
            return None
        try:
            name = text_field(form, "name")
            if not name:
                raise FormProblem("The item needs a name.", field="item-name")
            quantity = whole_number(form, "quantity", "quantity")
            threshold = whole_number(form, "threshold", "threshold")
        except FormProblem as problem:
            return self._problem(problem)
        dashboard = await self.get_state(DashboardState)
        department = str(form.get("department_id") or "")
        department_name = next(
            (d.name for d in dashboard.departments if str(d.id) == department), None
        )
        category = text_field(form, "new_category") or next(
            (c.name for c in dashboard.categories if str(c.id) == form.get("category_id")),
            None,
        )
        ctx = await self._session(Role.MANAGER)
        change = await call_service(
            stock.add_stock,
            ctx=ctx,
            name=name,
            quantity=quantity,
            threshold=threshold,
            department=department_name,
            category=category,
            barcode=text_field(form, "barcode", limit=64) or None,
        )
        self._close()
        self.add_barcode = ""
        await dashboard._reload(catalog_too=True)
        return rx.toast.success(f"Added {change.name}: {change.quantity} in {change.department}.")
