"""/reorder: what to order and how much, for managers and admins.

Window, cover, department and "running out within N days" live in the URL
(``/reorder?days=30&cover=30&department=2&out=7``), like the dashboard's filters; the
table is one server-side page of ``reports.reorder_list`` (the API's rows). The CSV is the
service's formula-safe CSV of the whole list; ``/reorder/print`` shows the whole list
(up to ``reports.MAX_ROWS``) without controls, pager or navigation, and a Print button.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from stock_saas.services import catalog, reports
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import FormProblem, FormState
from stock_saas.state.page_load import ManagerPageState
from stock_saas.state.paging import PagedState
from stock_saas.state.views import line_of

__all__ = ["ReorderLine", "ReorderState", "figure"]

PRINT_PATH = "/reorder/print"


def figure(value: float | None) -> str:
    """A report figure as the page shows it: at most four decimals, '—' for none."""
    if value is None:
        return "—"
    return f"{value:.4f}".rstrip("0").rstrip(".")


@dataclasses.dataclass
class ReorderLine:
    """One row of the reorder list (figures as text, so the page shows what the API says)."""

    id: int = 0
    item_id: int = 0
    name: str = ""
    department: str = ""
    quantity: int = 0
    threshold: int = 0
    low: bool = False
    daily_usage: str = ""
    days_left: str = "—"
    days_left_value: float = 0.0  # the chart's bar (0 when nothing is used)
    stockout_date: str = ""
    suggested_order: int = 0


def _line(row: reports.ReorderRow) -> ReorderLine:
    return line_of(
        ReorderLine,
        row,
        id=row.stock_level_id,
        daily_usage=figure(row.daily_usage),
        days_left=figure(row.days_left),
        days_left_value=row.days_left or 0.0,
        stockout_date=row.stockout_date.isoformat() if row.stockout_date else "",
    )


def _whole(params: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = str(params.get(key, "")).strip()
    return int(raw) if raw.isdigit() and low <= int(raw) <= high else default


class ReorderState(ManagerPageState, PagedState, FormState, AuthState):
    rows: list[ReorderLine] = []
    days: int = reports.DEFAULT_DAYS
    cover: int = reports.DEFAULT_COVER_DAYS
    department_id: str = "all"
    running_out: int = 0  # 0: everything; N: only what runs out within N days
    departments: list[dict[str, str]] = []
    printing: bool = False
    as_of: str = ""
    page_size: int = 50

    PAGE_SIZES: ClassVar[tuple[int, ...]] = (50, 100, 200)
    URL_KEPT: ClassVar[bool] = True

    @rx.var
    def chart_rows(self) -> list[dict[str, Any]]:
        """The page's rows that run out at some pace: days left as bars, soonest first."""
        return [
            {"name": f"{r.name} ({r.department})", "days_left": r.days_left_value}
            for r in self.rows
            if r.days_left != "—"
        ][:25]

    @rx.var
    def print_href(self) -> str:
        return f"{PRINT_PATH}?{urlencode(self._filter_query())}"

    def _filter_query(self) -> dict[str, str]:
        query = {"days": str(self.days), "cover": str(self.cover)}
        if self.department_id != "all":
            query["department"] = self.department_id
        if self.running_out:
            query["out"] = str(self.running_out)
        return query

    def _read_query(self, params: Mapping[str, str]) -> None:
        super()._read_query(params)
        self.days = _whole(params, "days", reports.DEFAULT_DAYS, 1, reports.MAX_DAYS)
        self.cover = _whole(params, "cover", reports.DEFAULT_COVER_DAYS, 0, reports.MAX_COVER_DAYS)
        department = str(params.get("department", ""))
        self.department_id = department if department.isdigit() else "all"
        self.running_out = _whole(params, "out", 0, 1, reports.MAX_COVER_DAYS)

    async def _load_page(self, ctx: Context) -> None:
        self._read_query(self.router.url.query_parameters)
        self.printing = self.router.url.path.rstrip("/") == PRINT_PATH
        departments = await call_service(catalog.list_departments, ctx=ctx)
        self.departments = [{"id": str(d.id), "name": d.name} for d in departments]
        await self._load_rows()

    def _choice(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "cover_days": self.cover,
            "department_id": int(self.department_id) if self.department_id.isdigit() else None,
            "running_out_days": self.running_out or None,
        }

    async def _load_rows(self) -> None:
        ctx = await self._session(Role.MANAGER)
        limit, offset = (reports.MAX_ROWS, 0) if self.printing else (self.page_size, self.offset)
        report = await call_service(
            reports.reorder_list,
            ctx=ctx,
            limit=limit,
            offset=offset,
            **self._choice(),
        )
        if not self.printing and self._settle(report.total):
            return await self._load_rows()
        self.total = report.total
        self.rows = [_line(r) for r in report.rows]
        self.as_of = report.until.strftime("%Y-%m-%d %H:%M UTC")

    @rx.event
    def apply(self, form: dict[str, Any]) -> Any:
        """Window, cover and department from the controls; a new URL (nothing is read
        until the page loads it, with the session checked)."""
        try:
            self.days = self._number(form, "reorder-days", "window", 1, reports.MAX_DAYS)
            self.cover = self._number(form, "reorder-cover", "cover", 0, reports.MAX_COVER_DAYS)
        except FormProblem as problem:
            return self._problem(problem)
        self._clear_problem()
        department = str(form.get("reorder-department") or "")
        self.department_id = department if department.isdigit() else "all"
        self.page = 0
        return self._navigate()

    @staticmethod
    def _number(form: dict[str, Any], key: str, what: str, low: int, high: int) -> int:
        raw = str(form.get(key) or "").strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise FormProblem(
                f"The {what} is a whole number of days from {low} to {high}.", field=key
            )
        return int(raw)

    @rx.event
    def show_everything(self) -> Any:
        """Drop the "running out within N days" filter."""
        self.running_out, self.page = 0, 0
        return self._navigate()

    @rx.event
    @reports_errors
    async def download_csv(self) -> Any:
        """The whole list as formula-safe CSV (the service writes it)."""
        ctx = await self._session(Role.MANAGER)
        out = io.StringIO()
        await call_service(reports.write_reorder_csv, ctx=ctx, out=out, **self._choice())
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        return rx.download(
            data=out.getvalue(), filename=f"reorder-{stamp}.csv", mime_type="text/csv"
        )
