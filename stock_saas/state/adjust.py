"""The adjust dialog: set a stock level to a counted quantity or change it by a signed
number, with a reason and a note (managers). The row comes from this session's own
server-side rows, never from the browser; the service decides the role and the rules."""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services import stock
from stock_saas.services.core import MAX_QUANTITY, Role
from stock_saas.services.stock import AdjustReason
from stock_saas.state.actions import ActionState
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import FormProblem, FormState, text_field, whole_number
from stock_saas.state.views import StockLine

__all__ = ["REASONS", "AdjustState"]

REASONS = tuple(reason.value for reason in AdjustReason)


def _signed(form: dict[str, Any]) -> int:
    raw = str(form.get("adjust_by") or "").strip()
    try:
        value = int(raw)
    except ValueError:
        raise FormProblem("Enter a whole number such as -2 or 3.", field="adjust_by") from None
    if value == 0 or abs(value) > MAX_QUANTITY:
        raise FormProblem("Enter a change other than 0, such as -2.", field="adjust_by")
    return value


class AdjustState(FormState, AuthState):
    open: bool = False
    mode: str = "counted"  # or "by"
    target: StockLine = StockLine()

    @rx.event
    async def start(self, level_id: int) -> Any:
        actions = await self.get_state(ActionState)
        row = await actions._find_level(int(level_id))
        if row is None:
            return rx.toast.error("That row is no longer on the page; refresh and try again.")
        self.target, self.mode, self.open = row, "counted", True
        self._clear_problem()
        return None

    @rx.event
    def set_open(self, value: bool) -> None:
        self.open = bool(value)
        if not value:
            self._clear_problem()

    @rx.event
    def set_mode(self, value: str) -> None:
        self.mode = "by" if value == "by" else "counted"
        self._clear_problem()

    @rx.event
    @reports_errors
    async def submit(self, form: dict[str, Any]) -> Any:
        row = self.target
        if not self.open or not row.id:
            return None
        reason = str(form.get("reason") or "")
        try:
            if reason not in REASONS:
                raise FormProblem("Choose a reason.", field="adjust_reason")
            counted = delta = None
            if self.mode == "counted":
                counted = whole_number(form, "adjust_counted", "counted quantity")
            else:
                delta = _signed(form)
        except FormProblem as problem:
            return self._problem(problem)
        ctx = await self._session(Role.MANAGER)
        change = await call_service(
            stock.adjust_stock,
            ctx=ctx,
            item=row.item_id,
            department=row.department_id,
            counted=counted,
            delta=delta,
            reason=reason,
            note=text_field(form, "note", limit=500),
        )
        self.open = False
        self._clear_problem()
        actions = await self.get_state(ActionState)
        await actions._show_change(change)
        return rx.toast.success(
            f"Adjusted {change.name} ({change.department}) by {change.delta:+d} ({reason}): "
            f"{change.quantity} on hand."
        )
