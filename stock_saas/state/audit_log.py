"""/audit: the tenant's audit log for admins, newest first, paged and filtered (in the URL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import reflex as rx

from stock_saas.services import audit, catalog
from stock_saas.services.core import Context, Role
from stock_saas.services.stock import AdjustReason, MovementAction
from stock_saas.state.auth import AuthState, call_service
from stock_saas.state.page_load import AdminPageState
from stock_saas.state.paging import PagedState
from stock_saas.state.views import HistoryLine, line_of

__all__ = ["ACTIONS", "PERIODS", "REASONS", "AuditState"]

ACTIONS = tuple(action.value for action in MovementAction)
REASONS = tuple(reason.value for reason in AdjustReason)
PERIODS = {
    "all": None,
    "24h": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
PAGE = 50


class AuditState(AdminPageState, PagedState, AuthState):
    entries: list[HistoryLine] = []
    action: str = "all"
    reason: str = "all"
    department_id: str = "all"
    period: str = "all"
    departments: list[dict[str, str]] = []
    page_size: int = PAGE
    _since: datetime | None = None  # where the period started for the current cursor chain

    PAGE_SIZES: ClassVar[tuple[int, ...]] = (PAGE, 100, 200)
    URL_KEPT: ClassVar[bool] = True

    def _filter_query(self) -> dict[str, str]:
        chosen = {
            "action": self.action,
            "reason": self.reason,
            "department": self.department_id,
            "period": self.period,
        }
        return {k: v for k, v in chosen.items() if v != "all"}

    def _read_query(self, params: Mapping[str, str]) -> None:
        super()._read_query(params)
        action, department = params.get("action", ""), params.get("department", "")
        period = params.get("period", "")
        self.action = action if action in ACTIONS else "all"
        reason = params.get("reason", "")
        self.reason = reason if reason in REASONS else "all"
        self.department_id = department if department.isdigit() else "all"
        self.period = period if period in PERIODS else "all"

    async def _load_page(self, ctx: Context) -> None:
        self._read_query(self.router.url.query_parameters)
        departments = await call_service(catalog.list_departments, ctx=ctx)
        self.departments = [{"id": str(d.id), "name": d.name} for d in departments]
        await self._load_rows()

    async def _load_rows(self) -> None:
        ctx = await self._session(Role.ADMIN)
        cursor = self._page_cursor()
        if cursor is None:  # a new chain of cursors: the period starts now, for all of it
            span = PERIODS.get(self.period)
            self._since = datetime.now(UTC) - span if span else None
        flt = audit.AuditFilter(
            department_id=int(self.department_id) if self.department_id.isdigit() else None,
            action=MovementAction(self.action) if self.action in ACTIONS else None,
            reason=AdjustReason(self.reason) if self.reason in REASONS else None,
            since=self._since,
        )
        result = await call_service(
            audit.latest,
            ctx=ctx,
            limit=self.page_size,
            offset=0 if cursor else self.offset,
            flt=flt,
            cursor=cursor,
        )
        shown = len(result.entries)
        if self._settle(result.total, result.next_cursor, shown=shown, exact=result.total_exact):
            return await self._load_rows()
        self.entries = [line_of(HistoryLine, e) for e in result.entries]

    @rx.event
    def set_filter(self, name: str, value: str) -> Any:
        """Change one filter (action, reason, department or period); the URL keeps it."""
        value = str(value or "")
        if name == "action":
            self.action = value if value in ACTIONS else "all"
        elif name == "reason":
            self.reason = value if value in REASONS else "all"
        elif name == "department":
            self.department_id = value if value.isdigit() else "all"
        elif name == "period":
            self.period = value if value in PERIODS else "all"
        self.page = 0
        return self._navigate()
