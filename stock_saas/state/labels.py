"""The "Print labels" dialog: labels of one dashboard row, or of a department (optionally
only its low stock), or department labels, on the chosen label stock, downloaded as a PDF.

What is printed is resolved on the server from this session's own rows and the tenant's
departments; the service checks the role and gives unlabelled items their barcodes.
"""

from __future__ import annotations

import io
from typing import Any

import reflex as rx

from stock_saas.services import labels
from stock_saas.services.core import Role
from stock_saas.services.labels import LabelKind, LabelLayout, LabelRequest
from stock_saas.state.actions import ActionState
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.forms import FormProblem, FormState, whole_number
from stock_saas.state.views import StockLine

__all__ = ["LAYOUTS", "LabelsState"]

LAYOUTS = tuple(layout.value for layout in LabelLayout)


class LabelsState(FormState, AuthState):
    open: bool = False
    working: bool = False
    row: StockLine = StockLine()  # one row's label, or (id 0) a department's
    layout: str = LabelLayout.A4_3X8.value

    @rx.var
    def per_page(self) -> int:
        return labels.sheet_of(LabelLayout(self.layout)).per_page

    @rx.event
    def start(self) -> None:
        self.row, self.open = StockLine(), True
        self._clear_problem()

    @rx.event
    async def start_row(self, level_id: int) -> Any:
        actions = await self.get_state(ActionState)
        row = await actions._find_level(int(level_id))
        if row is None:
            return rx.toast.error("That row is no longer on the page; refresh and try again.")
        self.row, self.open = row, True
        self._clear_problem()
        return None

    @rx.event
    def set_open(self, value: bool) -> None:
        self.open = bool(value) and not self.working
        if not self.open:
            self._clear_problem()

    @rx.event
    def set_layout(self, value: str) -> None:
        self.layout = value if value in LAYOUTS else LabelLayout.A4_3X8.value

    def _request(self, form: dict[str, Any], department_id: int) -> LabelRequest:
        sheet = labels.sheet_of(LabelLayout(self.layout))
        skip = 0
        if sheet.per_page > 1:
            skip = whole_number(form, "label_skip", "number of used labels")
        if skip >= sheet.per_page:
            raise FormProblem(
                f"A sheet has {sheet.per_page} labels; skip at most {sheet.per_page - 1}.",
                field="label_skip",
            )
        layout = LabelLayout(self.layout)
        if self.row.id:
            return LabelRequest(stock_level_ids=(self.row.id,), layout=layout, skip=skip)
        if str(form.get("what") or "") == "departments":
            return LabelRequest(kind=LabelKind.DEPARTMENTS, layout=layout, skip=skip)
        return LabelRequest(
            department=department_id or None,
            low=bool(form.get("low_only")),
            layout=layout,
            skip=skip,
        )

    @rx.event
    @reports_errors
    async def submit(self, form: dict[str, Any]) -> Any:
        if not self.open or self.working:
            return
        dashboard = await self.get_state(DashboardState)
        try:
            request = self._request(form, dashboard.department_id)
        except FormProblem as problem:
            yield self._problem(problem)
            return
        ctx = await self._session(Role.MANAGER)
        self.working = True
        yield  # the button shows "Preparing labels…" while the PDF is written
        try:
            out = io.BytesIO()
            run = await call_service(labels.print_labels, ctx=ctx, request=request, out=out)
        finally:
            self.working = False
        self.open = False
        self._clear_problem()
        if run.generated:
            await dashboard._load_rows_with(ctx)  # rows show their new barcodes
        pages = "page" if run.pages == 1 else "pages"
        yield rx.download(data=out.getvalue(), filename="labels.pdf", mime_type="application/pdf")
        yield rx.toast.success(
            f"{run.labels} labels on {run.pages} {pages}"
            + (f"; {len(run.generated)} items got a barcode." if run.generated else ".")
        )
