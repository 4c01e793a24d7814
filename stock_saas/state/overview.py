"""The dashboard's header strip: stock levels, low now, running out within a week,
movements today, and 30 days of movements, for the department the dashboard shows.

The figures are read from ``reports.stock_overview`` when the dashboard loads and read
again whenever a change of the tenant arrives (the live bridge calls :meth:`follow`):
never incremented here, so two events at once or one missed cannot leave them wrong.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx

from stock_saas.services import events, reports
from stock_saas.services.core import Context
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.live_clients import MayHaveMissed

__all__ = ["OverviewState"]


def _department(params: Any) -> int:
    text = str(params.get("department", "") or "").strip()
    return int(text) if text.isdigit() else 0


class OverviewState(AuthState):
    stock_levels: int = 0
    low_now: int = 0
    running_out: int = 0
    running_out_days: int = 7
    movements_today: int = 0
    series: list[dict[str, Any]] = []
    ready: bool = False
    department_id: int = 0  # the dashboard's department (0: all), kept in the links

    def _href(self, path: str, **query: str) -> str:
        if self.department_id:
            query["department"] = str(self.department_id)
        return f"{path}?{urlencode(query)}" if query else path

    @rx.var
    def levels_href(self) -> str:
        return self._href("/")

    @rx.var
    def low_href(self) -> str:
        return self._href("/", low="1")

    @rx.var
    def running_out_href(self) -> str:
        return self._href("/reorder", out=str(self.running_out_days))

    @rx.var
    def movements_href(self) -> str:
        """The audit log's last 24 hours (it has no "today" period)."""
        return self._href("/audit", period="24h")

    async def _read(self, ctx: Context) -> None:
        overview = await call_service(
            reports.stock_overview, ctx=ctx, department_id=self.department_id or None
        )
        figures: dict[str, Any] = {
            "stock_levels": overview.stock_levels,
            "low_now": overview.low_now,
            "running_out": overview.running_out,
            "running_out_days": overview.running_out_days,
            "movements_today": overview.movements_today,
            "series": [
                {"date": day.date.isoformat(), "issued": day.issued, "returned": day.returned}
                for day in overview.series
            ],
            "ready": True,
        }
        # Only what changed is assigned (and so sent): the chart is not drawn again for
        # every page of the table.
        for name, value in figures.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    @reports_errors
    async def load(self) -> None:
        """on_load of the dashboard (after its own): the department comes from the URL."""
        department_id = _department(self.router.url.query_parameters)
        if department_id != self.department_id:
            self.department_id = department_id
        await self._read(await self._session())

    async def follow(self, *happened: Any) -> None:
        """Read the figures again after stock changes of this tab's tenant (the live
        bridge calls it with a batch of events; from a browser, with anything but events,
        nothing happens)."""
        if self.ready and any(
            isinstance(e, (events.StockChanged, events.StockImported, MayHaveMissed))
            and e.tenant_id == self._tenant_id
            for e in happened
        ):
            await self._read(await self._session())
