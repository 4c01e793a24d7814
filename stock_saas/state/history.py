"""The live history dialog of one item: its audit entries, newest first, paged, and its
chart (quantity on hand, threshold, units issued and returned a day over 30/90/365 days),
both read again when the item changes while the dialog is open."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from stock_saas.services import audit, events, reports
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.live_clients import MayHaveMissed
from stock_saas.state.paging import PagedState
from stock_saas.state.views import HistoryLine, line_of

__all__ = ["CHART_DAYS", "HISTORY_PAGE", "HistoryState"]

HISTORY_PAGE = 20
CHART_DAYS = (30, 90, 365)


class HistoryState(PagedState, AuthState):
    """Open for one item; new entries of that item (from anyone) appear while it is open."""

    open: bool = False
    item_name: str = ""
    entries: list[HistoryLine] = []
    loading: bool = False
    page_size: int = HISTORY_PAGE
    chart_days: int = CHART_DAYS[0]
    chart: list[dict[str, int | str]] = []
    chart_summary: str = ""
    _item_id: int = 0

    PAGE_SIZES: ClassVar[tuple[int, ...]] = (HISTORY_PAGE, 50, 100)

    async def _load_rows(self) -> None:
        if not self._item_id:
            return
        ctx = await self._session()
        result = await call_service(
            audit.item_history,
            ctx=ctx,
            item_id=self._item_id,
            limit=self.page_size,
            offset=self.offset,
        )
        if self._settle(result.total, exact=result.total_exact):
            return await self._load_rows()
        self.entries = [line_of(HistoryLine, e) for e in result.entries]
        self.loading = False

    async def _load_chart(self) -> None:
        if not self._item_id:
            return
        ctx = await self._session()
        usage = await call_service(
            reports.item_usage, ctx=ctx, item_id=self._item_id, days=self.chart_days
        )
        self.chart = [
            {
                "date": point.date.isoformat(),
                "quantity": point.quantity_end,
                "threshold": usage.threshold,
                "issued": point.issued,
                "returned": point.returned,
            }
            for point in usage.series
        ]
        self.chart_summary = (
            f"{usage.quantity} on hand, threshold {usage.threshold}; last {usage.days} days: "
            f"{usage.issued} issued, {usage.returned} returned"
        )

    @rx.event
    @reports_errors
    async def set_chart_days(self, days: int | str) -> None:
        """30, 90 or 365 days (anything else: 30)."""
        wanted = int(days) if str(days).isdigit() else 0
        self.chart_days = wanted if wanted in CHART_DAYS else CHART_DAYS[0]
        await self._load_chart()

    @rx.event
    @reports_errors
    async def show(self, item_id: int, item_name: str) -> None:
        """Open the dialog for ``item_id`` (the service refuses another tenant's item)."""
        self._item_id, self.item_name = int(item_id), str(item_name)[:200]
        self.page, self.page_size, self.entries, self.total = 0, HISTORY_PAGE, [], 0
        self.chart_days, self.chart, self.chart_summary = CHART_DAYS[0], [], ""
        self.loading = self.open = True
        try:
            await self._load_rows()
            await self._load_chart()
        except Exception:
            self._close()
            raise

    def _close(self) -> None:
        self.open, self.loading, self._item_id = False, False, 0
        self.entries, self.total, self.item_name = [], 0, ""
        self.chart, self.chart_summary = [], ""

    @rx.event
    def set_open(self, value: bool) -> None:
        if not value:
            self._close()

    async def follow(self, *happened: Any) -> None:
        """Re-read the open page when the open item changed (the live bridge calls it with
        events; anything else, e.g. from a browser, changes nothing)."""
        if self.open and any(
            (isinstance(e, events.StockChanged) and e.item_id == self._item_id)
            or isinstance(e, MayHaveMissed)
            for e in happened
        ):
            await self._load_rows()
            await self._load_chart()
