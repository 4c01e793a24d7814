"""The live history dialog of one item: its audit entries, newest first, paged."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from stock_saas.services import audit, events
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.views import HistoryLine, line_of

__all__ = ["HISTORY_PAGE", "HistoryState"]

HISTORY_PAGE = 20


class HistoryState(AuthState):
    """Open for one item; new entries of that item (from anyone) appear while it is open."""

    open: bool = False
    item_name: str = ""
    entries: list[HistoryLine] = []
    total: int = 0
    page: int = 0
    loading: bool = False
    _item_id: int = 0

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // HISTORY_PAGE))

    async def _load(self) -> None:
        ctx = await self._session()
        result = await call_service(
            audit.item_history,
            ctx=ctx,
            item_id=self._item_id,
            limit=HISTORY_PAGE,
            offset=self.page * HISTORY_PAGE,
        )
        self.entries = [line_of(HistoryLine, e) for e in result.entries]
        self.total = result.total
        self.loading = False

    @rx.event
    @reports_errors
    async def show(self, item_id: int, item_name: str) -> None:
        """Open the dialog for ``item_id`` (the service refuses another tenant's item)."""
        self._item_id, self.item_name = int(item_id), str(item_name)[:200]
        self.page, self.entries, self.total, self.loading, self.open = 0, [], 0, True, True
        try:
            await self._load()
        except Exception:
            self.open, self._item_id, self.loading = False, 0, False
            raise

    @rx.event
    @reports_errors
    async def go_to_page(self, page: int) -> None:
        if self._item_id:
            self.page = max(0, min(int(page), self.page_count - 1))
            await self._load()

    @rx.event
    def set_open(self, value: bool) -> None:
        self.open = bool(value)
        if not self.open:
            self._item_id, self.entries, self.total = 0, [], 0

    def follow(self, event: events.Event) -> None:
        """Prepend a new entry of the open item (only on the first page; others just
        count). The live bridge calls it; from a browser it does nothing."""
        if not (
            isinstance(event, events.StockChanged)
            and self.open
            and event.item_id == self._item_id
            and all(e.id != event.audit_id for e in self.entries)
        ):
            return
        self.total += 1
        if self.page != 0:
            return
        line = line_of(
            HistoryLine,
            event,
            id=event.audit_id,
            created_at=_short_time(event.created_at),
            quantity_after=event.quantity,
            actor_name=event.actor,
        )
        entries = sorted([line, *self.entries], key=lambda e: e.id, reverse=True)
        self.entries = entries[:HISTORY_PAGE]


def _short_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso[:19]
