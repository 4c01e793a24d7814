"""The "Print labels" dialog: what to print, the label stock, and used positions to skip."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import (
    field_error,
    labelled_checkbox,
    labelled_number,
    labelled_select,
)
from stock_saas.components.modal import dialog_frame
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.labels import LabelsState

__all__ = ["labels_dialog"]


def _what() -> rx.Component:
    return rx.cond(
        LabelsState.row.id != 0,
        rx.text(
            "One label: ", rx.text.strong(LabelsState.row.name), " in ", LabelsState.row.department,
            size="2",
        ),
        rx.vstack(
            labelled_select(
                "Print",
                "label_what",
                rx.el.option(f"Items in {DashboardState.department_name}", value="items"),
                rx.el.option("Department labels (all departments)", value="departments"),
                name="what",
            ),
            labelled_checkbox("Only items below their threshold", "label_low", name="low_only"),
            spacing="3",
            width="100%",
        ),
    )  # fmt: skip


def labels_dialog() -> rx.Component:
    return dialog_frame(
        "Print labels",
        rx.vstack(
            _what(),
            labelled_select(
                "Label stock",
                "label_layout",
                rx.el.option("A4 sheet, 3 x 8 (63.5 x 33.9 mm)", value="a4-3x8"),
                rx.el.option("Letter sheet, 3 x 10 (Avery 5160)", value="letter-3x10"),
                rx.el.option("Label printer, 62 x 29 mm", value="62x29"),
                name="layout",
                value=LabelsState.layout,
                on_change=LabelsState.set_layout,
            ),
            rx.cond(
                LabelsState.per_page > 1,
                labelled_number(
                    "Labels already used on the sheet",
                    "label_skip",
                    default_value="0",
                    hint=rx.text(
                        "Printing starts after them (0 to ",
                        LabelsState.per_page - 1,
                        ").",
                        as_="span",
                    ),
                    error=field_error(LabelsState, "label_skip"),
                ),
            ),
            rx.cond(
                LabelsState.working,
                rx.text("Preparing labels…", role="status", size="2", id="labels-progress"),
            ),
            spacing="3",
            width="100%",
        ),
        LabelsState.submit,
        "Download PDF",
        open_var=LabelsState.open,
        on_open_change=LabelsState.set_open,
        form_state=LabelsState,
        dialog_id="labels-dialog",
    )
