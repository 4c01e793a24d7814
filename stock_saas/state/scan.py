"""Barcode scanning and the item panel it opens.

A keyboard-wedge scanner types digits and Enter into the scan field; the camera
component reports a decoded code. Either way :meth:`ScanState.lookup` finds the item of
this tenant with that barcode and opens its panel (stock per department, actions,
history); an unknown code offers to add an item with it.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.errors import NotFound
from stock_saas.services import catalog, labels, stock
from stock_saas.services.core import Context
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.views import StockLine, line_of

__all__ = ["ScanState"]

BARCODE_MAX = 64


class ScanState(AuthState):
    """The scan field, the camera dialog, and the item panel."""

    code: str = ""
    camera_open: bool = False
    panel_open: bool = False
    unknown_code: str = ""
    item_id: int = 0
    item_name: str = ""
    item_barcode: str = ""
    item_category: str = ""
    item_notes: str = ""
    levels: list[StockLine] = []

    @rx.var
    def on_hand(self) -> int:
        return sum(level.quantity for level in self.levels)

    @rx.event
    def set_code(self, value: str) -> None:
        self.code = str(value or "")[:BARCODE_MAX]

    @rx.event
    def set_camera_open(self, value: bool) -> None:
        self.camera_open = bool(value)

    @rx.event
    def set_panel_open(self, value: bool) -> None:
        self.panel_open = bool(value)
        if not value:
            self.unknown_code = ""

    async def _open(self, ctx: Context, item: catalog.ItemView) -> None:
        page = await call_service(stock.list_stock, ctx=ctx, q=item.name, limit=stock.MAX_PAGE)
        self.item_id, self.item_name = item.id, item.name
        self.item_barcode, self.item_category = item.barcode or "", item.category or ""
        self.item_notes = item.notes
        self.levels = [
            line_of(StockLine, r, id=r.stock_level_id) for r in page.items if r.item_id == item.id
        ]
        self.unknown_code, self.panel_open = "", True

    async def _lookup(self, code: str) -> Any:
        code = str(code or "").strip()[:BARCODE_MAX]
        self.code, self.camera_open = "", False
        if not code:
            return None
        ctx = await self._session()
        try:
            item = await call_service(catalog.lookup_barcode, ctx=ctx, barcode=code)
        except NotFound:
            department = labels.department_id_of(code)
            if department is not None:  # a department label: open that department
                return DashboardState.choose_department(department)  # type: ignore[operator]
            self.levels, self.item_id, self.item_name = [], 0, ""
            self.unknown_code, self.panel_open = code, True
            return None
        await self._open(ctx, item)
        return None

    @rx.event
    @reports_errors
    async def lookup(self, code: str) -> Any:
        """Open the item whose barcode is ``code`` (or the department of a department
        label), or offer to add one."""
        return await self._lookup(code)

    @rx.event
    @reports_errors
    async def submit_scan(self, form: dict[str, Any]) -> Any:
        return await self._lookup(str(form.get("code") or ""))

    def _apply_level(self, level_id: int, quantity: int, threshold: int) -> None:
        for index, row in enumerate(self.levels):
            if row.id == level_id:
                levels = list(self.levels)
                levels[index] = StockLine(
                    **{
                        **row.__dict__,
                        "quantity": quantity,
                        "threshold": threshold,
                        "low": quantity < threshold,
                    }
                )
                self.levels = levels

    @rx.event
    @reports_errors
    async def open_item(self, item_id: int) -> None:
        ctx = await self._session()
        await self._open(ctx, await call_service(catalog.get_item, ctx=ctx, item_id=int(item_id)))
