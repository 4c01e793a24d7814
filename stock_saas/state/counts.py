"""/counts: start a count of a department, count typed or scanned, submit once.

The count being worked on is in the URL (``?count=ID``), so two people open the same
count; every number is read back from the service after each change (never "+1" here).
A scan adds one to that item's line and moves the page to it, focusing its field.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from typing import Any, ClassVar

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.models import CountStatus
from stock_saas.services import catalog, counts
from stock_saas.services.core import Context, Role
from stock_saas.services.counts import CountLineView, CountView, LineEntry
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.page_load import PageLoadState
from stock_saas.state.paging import PagedState
from stock_saas.state.views import DepartmentLine, line_of, short_time

__all__ = ["CountLine", "CountRow", "CountsState"]


@dataclasses.dataclass
class CountRow:
    id: int = 0
    department: str = ""
    status: str = ""
    started_by: str = ""
    started_at: str = ""
    counted: int = 0
    lines: int = 0


@dataclasses.dataclass
class CountLine:
    item_id: int = 0
    name: str = ""
    barcode: str = ""
    expected: str = ""  # empty while a blind count is open
    counted: str = ""  # empty until counted
    variance: str = ""
    short: bool = False
    over: bool = False


def _row(view: CountView) -> CountRow:
    return CountRow(
        id=view.id,
        department=view.department,
        status=view.status.value,
        started_by=view.started_by,
        started_at=short_time(view.started_at),
        counted=view.summary.counted,
        lines=view.summary.lines,
    )


def _line(view: CountLineView) -> CountLine:
    text = lambda v: "" if v is None else str(v)  # noqa: E731
    variance = view.variance
    return CountLine(
        item_id=view.item_id,
        name=view.name,
        barcode=view.barcode or "",
        expected=text(view.expected),
        counted=text(view.counted),
        variance=("+" if variance and variance > 0 else "") + text(variance),
        short=bool(variance and variance < 0),
        over=bool(variance and variance > 0),
    )


class CountsState(PageLoadState, PagedState, AuthState):
    URL_KEPT: ClassVar[bool] = True

    recent: list[CountRow] = []
    departments: list[DepartmentLine] = []
    count_id: int = 0
    current: CountRow = CountRow()
    blind: bool = False
    summary: str = ""
    lines: list[CountLine] = []
    last_scanned: int = 0

    @rx.var
    def is_open(self) -> bool:
        return self.current.status == CountStatus.OPEN

    def _filter_query(self) -> dict[str, str]:
        return {"count": str(self.count_id)} if self.count_id else {}

    def _read_query(self, params: Mapping[str, str]) -> None:
        super()._read_query(params)
        raw = str(params.get("count", ""))
        self.count_id = int(raw) if raw.isdigit() else 0

    async def _load_page(self, ctx: Context) -> Any:
        self._read_query(self.router.url.query_parameters)
        found = await call_service(counts.list_counts, ctx=ctx, limit=20)
        self.recent = [_row(c) for c in found]
        departments = await call_service(catalog.list_departments, ctx=ctx)
        self.departments = [line_of(DepartmentLine, d) for d in departments]
        try:
            await self._load_rows_with(ctx)
        except StockSaasError:
            self.count_id, self.lines = 0, []
            return rx.toast.error("That count is not one of yours.")
        return None

    async def _load_rows(self) -> None:
        await self._load_rows_with(await self._session())

    async def _load_rows_with(self, ctx: Context) -> None:
        if not self.count_id:
            self.lines, self.current, self.total = [], CountRow(), 0
            return
        page = await call_service(
            counts.get_count,
            ctx=ctx,
            count_id=self.count_id,
            limit=self.page_size,
            offset=self.offset,
        )
        if self._settle(page.total):
            await self._load_rows_with(ctx)
            return
        self.current, self.blind = _row(page.count), page.count.blind
        self.lines = [_line(line) for line in page.lines]
        s = page.count.summary
        self.summary = f"{s.counted} of {s.lines} lines counted"
        if s.rows_short is not None:
            self.summary += (
                f"; {s.rows_short} short ({s.units_short} units),"
                f" {s.rows_over} over ({s.units_over} units)"
            )

    @rx.event
    @reports_errors
    async def start(self, form: dict[str, Any]) -> Any:
        ctx = await self._session(Role.MANAGER)
        raw = str(form.get("department_id") or "")
        if not raw.isdigit():
            return rx.toast.error("Choose the department to count.")
        started = await call_service(
            counts.start_count, ctx=ctx, department=int(raw), blind=bool(form.get("blind"))
        )
        self.count_id, self.page = started.id, 0
        return self._navigate()

    @rx.event
    def choose(self, count_id: int) -> Any:
        self.count_id, self.page, self.last_scanned = int(count_id), 0, 0
        return self._navigate()

    async def _record(self, entry: LineEntry) -> CountLineView:
        ctx = await self._session()
        [line] = await call_service(
            counts.record_counts, ctx=ctx, count_id=self.count_id, entries=[entry]
        )
        return line

    @rx.event
    @reports_errors
    async def set_counted(self, item_id: int, value: str) -> Any:
        text = str(value or "").strip()
        if not self.count_id or not text:
            return None
        if not text.isdigit():
            return rx.toast.error("Type the number of units on the shelf (0 or more).")
        await self._record(LineEntry(item_id=int(item_id), counted=int(text)))
        self.last_scanned = int(item_id)
        await self._load_rows()
        return None

    @rx.event
    @reports_errors
    async def scan(self, form: dict[str, Any]) -> Any:
        code = str(form.get("count_scan") or "").strip()[:64]
        if not self.count_id or not code:
            return None
        line = await self._record(LineEntry(barcode=code, add=1))
        ctx = await self._session()
        position = await call_service(
            counts.line_position, ctx=ctx, count_id=self.count_id, item_id=line.item_id
        )
        self.page, self.last_scanned = position // self.page_size, line.item_id
        await self._load_rows_with(ctx)
        # The row comes into view and is marked; the focus stays in the scan field for the
        # next scan (a handheld's wedge types there).
        return [
            rx.scroll_to(f"count-{line.item_id}"),
            rx.set_focus("count_scan"),
            rx.toast.success(f"{line.name}: {line.counted} counted."),
        ]

    @rx.event
    @reports_errors
    async def submit(self) -> Any:
        ctx = await self._session(Role.MANAGER)
        done = await call_service(counts.submit_count, ctx=ctx, count_id=self.count_id)
        await self._load_page(ctx)
        s = done.summary
        return rx.toast.success(
            f"Count #{done.id} submitted: {s.rows_short} lines short ({s.units_short} units),"
            f" {s.rows_over} over ({s.units_over} units)."
        )

    @rx.event
    @reports_errors
    async def cancel(self) -> Any:
        ctx = await self._session(Role.MANAGER)
        await call_service(counts.cancel_count, ctx=ctx, count_id=self.count_id)
        await self._load_page(ctx)
        return rx.toast.success("Count cancelled; no stock was changed.")

    @rx.event
    @reports_errors
    async def download(self) -> Any:
        ctx = await self._session()
        out = io.StringIO()
        await call_service(counts.write_variance_csv, ctx=ctx, count_id=self.count_id, out=out)
        return rx.download(
            data=out.getvalue(), filename=f"count-{self.count_id}.csv", mime_type="text/csv"
        )
