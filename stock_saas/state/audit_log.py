"""/audit: the tenant's audit log for admins, newest first, paged and filtered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import audit, catalog
from stock_saas.services.core import Role
from stock_saas.services.stock import MovementAction
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.views import HistoryLine, line_of

__all__ = ["ACTIONS", "AuditState"]

ACTIONS = tuple(action.value for action in MovementAction)
PERIODS = {
    "all": None,
    "24h": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
PAGE = 50


class AuditState(AuthState):
    entries: list[HistoryLine] = []
    total: int = 0
    page: int = 0
    action: str = "all"
    department_id: str = "all"
    period: str = "all"
    departments: list[dict[str, str]] = []
    loading: bool = True

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE))

    async def _load(self) -> None:
        ctx = await self._session(Role.ADMIN)
        span = PERIODS.get(self.period)
        flt = audit.AuditFilter(
            department_id=int(self.department_id) if self.department_id.isdigit() else None,
            action=MovementAction(self.action) if self.action in ACTIONS else None,
            since=datetime.now(UTC) - span if span else None,
        )
        result = await call_service(
            audit.latest, ctx=ctx, limit=PAGE, offset=self.page * PAGE, flt=flt
        )
        self.entries = [line_of(HistoryLine, e) for e in result.entries]
        self.total, self.loading = result.total, False

    @rx.event
    @reports_errors
    async def open_page(self) -> Any:
        self.loading, self.page = True, 0
        try:
            await self._load()
        except StockSaasError as exc:
            if exc.status_code == 403:
                return [rx.toast.error("That page is for admins."), rx.redirect("/")]
            raise
        ctx = await self._session(Role.ADMIN)
        departments = await call_service(catalog.list_departments, ctx=ctx)
        self.departments = [{"id": str(d.id), "name": d.name} for d in departments]
        return None

    @rx.event
    @reports_errors
    async def set_filter(self, name: str, value: str) -> None:
        if name == "action":
            self.action = value if value in ACTIONS else "all"
        elif name == "department":
            self.department_id = value if value.isdigit() else "all"
        elif name == "period":
            self.period = value if value in PERIODS else "all"
        self.page = 0
        await self._load()

    @rx.event
    @reports_errors
    async def go_to_page(self, page: int) -> None:
        self.page = max(0, min(int(page), self.page_count - 1))
        await self._load()
