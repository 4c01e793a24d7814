"""What the dashboard shows: filters, one server-side page of stock levels, the sidebar.

Only one page of rows ever lives in the state (``list_stock`` pages and counts in the
database), so the page stays fast whatever the tenant's size. Live events from other
users are applied by :meth:`DashboardState.follow` (called by ``state.live``).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.errors import Unauthorized
from stock_saas.services import catalog, events, stock
from stock_saas.services.core import Context
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.live_clients import register_client
from stock_saas.state.views import CategoryLine, DepartmentLine, StockLine, line_of

__all__ = ["PAGE_SIZES", "DashboardState"]

PAGE_SIZES = ("25", "50", "100")


class DashboardState(AuthState):
    """Filters and the current page of the stock table, plus departments and categories."""

    q: str = ""
    department_id: int = 0  # 0 = all departments
    category_id: str = "all"
    low_only: bool = False
    sort: str = "name"
    descending: bool = False
    page: int = 0
    page_size: int = 25
    rows: list[StockLine] = []
    total: int = 0
    loading: bool = True
    departments: list[DepartmentLine] = []
    categories: list[CategoryLine] = []
    # audit id of the newest change applied to each row on the page (live events may race)
    _applied: dict[int, int] = {}

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @rx.var
    def range_text(self) -> str:
        if not self.total:
            return "0 of 0"
        first = self.page * self.page_size + 1
        return f"{first}-{min(self.total, first + self.page_size - 1)} of {self.total}"

    @rx.var
    def total_low(self) -> int:
        return sum(d.low_count for d in self.departments)

    @rx.var
    def total_items(self) -> int:
        return sum(d.item_count for d in self.departments)

    @rx.var
    def department_name(self) -> str:
        for d in self.departments:
            if d.id == self.department_id:
                return d.name
        return "All departments"

    @rx.var
    def filtered(self) -> bool:
        return bool(self.q.strip()) or self.low_only or self.category_id != "all"

    # ---- loading -----------------------------------------------------------------

    async def _load_rows(self, ctx: Context) -> None:
        page = await call_service(
            stock.list_stock,
            ctx=ctx,
            q=self.q or None,
            department_id=self.department_id or None,
            category_id=int(self.category_id) if self.category_id.isdigit() else None,
            low=True if self.low_only else None,
            limit=self.page_size,
            offset=self.page * self.page_size,
            sort=self.sort,
            descending=self.descending,
        )
        if page.total and self.page * self.page_size >= page.total:
            self.page = (page.total - 1) // self.page_size
            return await self._load_rows(ctx)
        self.rows = [line_of(StockLine, r, id=r.stock_level_id) for r in page.items]
        self.total = page.total
        self._applied = {}
        self.loading = False

    async def _load_catalog(self, ctx: Context) -> None:
        departments = await call_service(catalog.list_departments, ctx=ctx)
        categories = await call_service(catalog.list_categories, ctx=ctx)
        self.departments = [line_of(DepartmentLine, d) for d in departments]
        self.categories = [line_of(CategoryLine, c) for c in categories]
        if self.department_id and all(d.id != self.department_id for d in self.departments):
            self.department_id = 0
        if self.category_id != "all" and all(
            str(c.id) != self.category_id for c in self.categories
        ):
            self.category_id = "all"

    async def _reload(self, *, catalog_too: bool = False) -> None:
        ctx = await self._session()
        if catalog_too:
            await self._load_catalog(ctx)
        await self._load_rows(ctx)

    @rx.event
    @reports_errors
    async def open_dashboard(self) -> Any:
        """on_load of /: verify the session, load the page, join the tenant's live feed."""
        self.loading = True
        ctx = await self._session()
        register_client(self.router.session.client_token, tenant_id=ctx.tenant_id)
        await self._load_catalog(ctx)
        await self._load_rows(ctx)

    @rx.event
    @reports_errors
    async def refresh(self) -> None:
        await self._reload(catalog_too=True)

    # ---- filters, sorting, paging --------------------------------------------------

    @rx.event
    @reports_errors
    async def search(self, q: str) -> None:
        self.q, self.page = (q or "")[:120], 0
        await self._reload()

    @rx.event
    @reports_errors
    async def choose_department(self, department_id: int) -> None:
        self.department_id, self.page = int(department_id), 0
        await self._reload()

    @rx.event
    @reports_errors
    async def choose_category(self, category_id: str) -> None:
        self.category_id = category_id if category_id.isdigit() else "all"
        self.page = 0
        await self._reload()

    @rx.event
    @reports_errors
    async def set_low_only(self, value: bool) -> None:
        self.low_only, self.page = bool(value), 0
        await self._reload()

    @rx.event
    @reports_errors
    async def clear_filters(self) -> None:
        self.q, self.category_id, self.low_only, self.page = "", "all", False, 0
        await self._reload()

    @rx.event
    @reports_errors
    async def sort_by(self, column: str) -> None:
        if column not in stock.StockSort.__members__.values():
            return
        if self.sort == column:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, False
        await self._reload()

    @rx.event
    @reports_errors
    async def go_to_page(self, page: int) -> None:
        self.page = max(0, min(int(page), self.page_count - 1))
        await self._reload()

    @rx.event
    @reports_errors
    async def set_page_size(self, size: str) -> None:
        if size in PAGE_SIZES:
            self.page_size, self.page = int(size), 0
            await self._reload()

    # ---- changes made here or elsewhere --------------------------------------------

    def _apply_level(self, level_id: int, quantity: int, threshold: int, audit_id: int) -> bool:
        """Show a stock level's new quantity if it is on this page; False if it is not."""
        for index, row in enumerate(self.rows):
            if row.id == level_id:
                if self._applied.get(level_id, 0) >= audit_id:
                    return True
                self._applied[level_id] = audit_id
                rows = list(self.rows)
                rows[index] = StockLine(
                    **{
                        **row.__dict__,
                        "quantity": quantity,
                        "threshold": threshold,
                        "low": quantity < threshold,
                    }
                )
                self.rows = rows
                return True
        return False

    def _bump_department(self, department_id: int, *, items: int = 0, low: int = 0) -> bool:
        for index, dept in enumerate(self.departments):
            if dept.id == department_id:
                departments = list(self.departments)
                departments[index] = DepartmentLine(
                    dept.id,
                    dept.name,
                    dept.is_default,
                    max(0, dept.item_count + items),
                    max(0, dept.low_count + low),
                )
                self.departments = departments
                return True
        return False

    async def follow(self, event: events.Event) -> None:
        """Bring this dashboard up to date with a committed change of its tenant (the live
        bridge calls it; Unauthorized when the tab no longer follows that tenant). Called
        from a browser, with anything but an event, it does nothing."""
        if not isinstance(event, events.Event):
            return
        if self._tenant_id != event.tenant_id:
            raise Unauthorized("This tab follows another tenant.")
        if isinstance(event, events.StockChanged):
            shown = self._apply_level(
                event.stock_level_id, event.quantity, event.threshold, event.audit_id
            )
            new_level = event.action == "add" or (
                event.action == "transfer_in" and event.quantity == event.delta
            )
            if new_level or (not shown and not self._knows_department(event.department_id)):
                await self._reload(catalog_too=True)
        elif isinstance(event, events.LowStockEntered):
            self._bump_department(event.department_id, low=1)
        elif isinstance(event, events.LowStockRecovered):
            self._bump_department(event.department_id, low=-1)

    def _knows_department(self, department_id: int) -> bool:
        return any(d.id == department_id for d in self.departments)
