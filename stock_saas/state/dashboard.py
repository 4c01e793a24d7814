"""What the dashboard shows: filters, one server-side page of stock levels, the sidebar.

Only one page of rows ever lives in the state (``list_stock`` pages and counts in the
database), so the page stays fast whatever the tenant's size. Filters, page, size and
sort live in the URL (``/?q=…&department=…&page=2``): a filter change navigates, and
the page's on_load reads the URL back, so links are shareable and the back button
works. Live events from other users are applied by :meth:`DashboardState.follow`
(called by ``state.live``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, ClassVar

import reflex as rx

from stock_saas.errors import Unauthorized
from stock_saas.services import catalog, events, stock
from stock_saas.services.core import Context
from stock_saas.state.auth import AuthState, call_service
from stock_saas.state.live_clients import MayHaveMissed, register_client
from stock_saas.state.page_load import PageLoadState
from stock_saas.state.paging import PagedState
from stock_saas.state.views import CategoryLine, DepartmentLine, StockLine, line_of

__all__ = ["DashboardState"]

SEARCH_MAX = 120
# The on_load right after a sign-in finds the first page the sign-in read (and the live
# feed has kept it current since) if it comes within this many seconds.
SIGNED_IN_FRESH_SECONDS = 10.0
# one reload for many changes, or for changes missed while the transport was down
_RELOADS = (catalog.CatalogChanged, events.StockImported, MayHaveMissed)
_MOVED_BY_QUANTITY = (stock.StockSort.QUANTITY.value, stock.StockSort.THRESHOLD.value)


def _id_or_zero(value: Any) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0


class DashboardState(PageLoadState, PagedState, AuthState):
    """Filters and the current page of the stock table, plus departments and categories."""

    q: str = ""
    department_id: int = 0  # 0 = all departments
    category_id: str = "all"
    low_only: bool = False
    sort: str = stock.StockSort.NAME.value
    rows: list[StockLine] = []
    departments: list[DepartmentLine] = []
    categories: list[CategoryLine] = []
    # audit id of the newest change applied to each row on the page (live events may race)
    _applied: dict[int, int] = {}
    _signed_in_at: float = 0.0  # time.time() when the sign-in read the first page
    # Categories come with their item counts only while the managers' categories dialog
    # (the one place that shows them) is open: counting reads every item of the tenant.
    _category_counts: bool = False

    SORTS: ClassVar[tuple[str, ...]] = tuple(s.value for s in stock.StockSort)
    URL_KEPT: ClassVar[bool] = True

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

    # ---- the URL ---------------------------------------------------------------------

    def _filter_query(self, **changes: Any) -> dict[str, str]:
        """The filters for the URL: this state's, or with ``changes`` (q, department_id,
        category_id, low_only) instead."""
        chosen = {
            "q": self.q,
            "department_id": self.department_id,
            "category_id": self.category_id,
            "low_only": self.low_only,
            **changes,
        }
        query: dict[str, str] = {}
        if str(chosen["q"]).strip():
            query["q"] = str(chosen["q"]).strip()
        if chosen["department_id"]:
            query["department"] = str(chosen["department_id"])
        if chosen["category_id"] != "all":
            query["category"] = str(chosen["category_id"])
        if chosen["low_only"]:
            query["low"] = "1"
        return query

    def _filter(self, *, replace: bool = False, **changes: Any) -> Any:
        """Go to the first page with these filter ``changes`` (the URL's on_load shows it)."""
        return self._navigate(
            replace=replace, paging={"page": 0}, filters=self._filter_query(**changes)
        )

    def _read_query(self, params: Mapping[str, str]) -> None:
        super()._read_query(params)
        self.q = str(params.get("q", ""))[:SEARCH_MAX]
        self.department_id = _id_or_zero(params.get("department"))
        category = str(params.get("category", ""))
        self.category_id = category if category.isdigit() else "all"
        self.low_only = params.get("low") == "1"

    # ---- loading -----------------------------------------------------------------

    async def _load_page(self, ctx: Context) -> None:
        """on_load of / (every URL change too): join the live feed, read the page."""
        params = self.router.url.query_parameters
        signed_in_at, self._signed_in_at = self._signed_in_at, 0.0
        if not params and time.time() - signed_in_at < SIGNED_IN_FRESH_SECONDS:
            register_client(self.router.session.client_token, tenant_id=ctx.tenant_id)
            return  # the sign-in's first page, shown as is: nothing to send again
        await self._open(ctx, params)

    async def open_after_sign_in(self, ctx: Context) -> None:
        """Read what / shows first (its first page and the sidebar) inside the sign-in's
        event, before it redirects: the browser then draws the dashboard once, with its
        rows, and the on_load that follows sends nothing again. ``ctx`` is the session
        the sign-in has just verified; the tab follows its tenant's live events from
        here on, so the page stays current until the on_load."""
        await self._open(ctx, {})
        self.loading = False
        self._signed_in_at = time.time()

    async def _open(self, ctx: Context, params: Mapping[str, str]) -> None:
        """Join the tenant's live feed, then read the page ``params`` name and the sidebar."""
        register_client(self.router.session.client_token, tenant_id=ctx.tenant_id)
        self._read_query(params)
        await self._load_catalog(ctx)
        await self._load_rows_with(ctx)

    async def _load_rows(self) -> None:
        await self._load_rows_with(await self._session())

    async def _load_rows_with(self, ctx: Context) -> None:
        cursor = self._page_cursor()
        page = await call_service(
            stock.list_stock,
            ctx=ctx,
            q=self.q or None,
            department_id=self.department_id or None,
            category_id=int(self.category_id) if self.category_id.isdigit() else None,
            low=True if self.low_only else None,
            limit=self.page_size,
            offset=0 if cursor else self.offset,
            sort=self.sort,
            descending=self.descending,
            cursor=cursor,
        )
        if self._settle(page.total, page.next_cursor, shown=len(page.items)):
            return await self._load_rows_with(ctx)
        self.rows = [line_of(StockLine, r, id=r.stock_level_id) for r in page.items]
        self._applied = {}

    async def _load_catalog(self, ctx: Context) -> None:
        categories = await call_service(
            catalog.list_categories, ctx=ctx, item_counts=self._category_counts
        )
        self._show_departments(await self._read_departments(ctx))
        shown = [line_of(CategoryLine, c) for c in categories]
        if shown != self.categories:
            self.categories = shown
        if self.department_id and all(d.id != self.department_id for d in self.departments):
            self.department_id = 0
        if self.category_id != "all" and all(
            str(c.id) != self.category_id for c in self.categories
        ):
            self.category_id = "all"

    async def _read_departments(self, ctx: Context) -> list[DepartmentLine]:
        departments = await call_service(catalog.list_departments, ctx=ctx)
        return [line_of(DepartmentLine, d) for d in departments]

    def _show_departments(self, departments: list[DepartmentLine]) -> None:
        # Assigned only when different: an assignment is sent to the browser, which then
        # renders the sidebar again (and a page of rows is what the user waits for).
        if departments != self.departments:
            self.departments = departments

    async def _reload(self, *, catalog_too: bool = False) -> None:
        ctx = await self._session()
        if catalog_too:
            await self._load_catalog(ctx)
        await self._load_rows_with(ctx)

    # ---- filters (each one a new URL) ------------------------------------------------

    @rx.event
    def search(self, q: str) -> Any:
        return self._filter(replace=True, q=str(q or "")[:SEARCH_MAX])

    @rx.event
    def choose_department(self, department_id: int | str) -> Any:
        return self._filter(department_id=_id_or_zero(department_id))

    @rx.event
    def choose_category(self, category_id: str) -> Any:
        category = str(category_id or "")
        return self._filter(category_id=category if category.isdigit() else "all")

    @rx.event
    def set_low_only(self, value: bool) -> Any:
        return self._filter(low_only=bool(value))

    @rx.event
    def clear_filters(self) -> Any:
        return self._filter(q="", category_id="all", low_only=False)

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

    async def follow(self, *happened: Any) -> None:
        """Bring this dashboard up to date with committed changes of its tenant (the live
        bridge calls it; Unauthorized when the tab no longer follows that tenant). Called
        from a browser, with anything but events, it does nothing.

        The page re-reads what changed rather than adding to what it shows: whatever the
        order, duplication or interleaving of events, it ends as a fresh load shows it."""
        changed = [e for e in happened if isinstance(e, events.Event)]
        if any(e.tenant_id != self._tenant_id for e in changed):
            raise Unauthorized("This tab follows another tenant.")
        moves = [e for e in changed if isinstance(e, events.StockChanged)]
        if any(isinstance(e, _RELOADS) for e in changed) or any(
            self._opens_a_level(e) for e in moves
        ):
            await self._reload(catalog_too=True)
        elif moves:
            ctx = await self._session()
            self._show_departments(await self._read_departments(ctx))  # counts, low badges
            shown = {row.id for row in self.rows}
            if (
                self.low_only
                or self.sort in _MOVED_BY_QUANTITY
                or any(e.stock_level_id in shown for e in moves)
            ):
                await self._load_rows_with(ctx)

    def _opens_a_level(self, event: events.StockChanged) -> bool:
        """Whether the change may have made a row (or a department or category) this
        page does not know yet: a level that was empty (an add, a transfer into a new
        department, an import) or a department it has not seen."""
        return event.quantity == event.delta > 0 or not self._knows_department(event.department_id)

    def _knows_department(self, department_id: int) -> bool:
        return any(d.id == department_id for d in self.departments)
