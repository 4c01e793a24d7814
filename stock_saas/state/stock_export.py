"""The dashboard's "Export CSV": the stock levels shown (all departments, or the one
chosen) as a download in the import's own columns."""

from __future__ import annotations

import io
from typing import Any

import reflex as rx

from stock_saas.services import imports
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.dashboard import DashboardState

__all__ = ["StockExportState"]


class StockExportState(AuthState):
    @rx.event
    @reports_errors
    async def download(self) -> Any:
        ctx = await self._session()
        dashboard = await self.get_state(DashboardState)
        out = io.StringIO(newline="")
        await call_service(
            imports.write_stock_csv, ctx=ctx, out=out, department=dashboard.department_id or None
        )
        return rx.download(data=out.getvalue(), filename="stock.csv", mime_type="text/csv")
