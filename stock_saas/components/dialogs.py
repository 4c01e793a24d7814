"""The stock dialogs (add, issue, return, restock, transfer, edit): keyboard-friendly forms.

Each opens with focus in its first field, Enter submits, Escape closes, focus stays inside
while it is open and goes back to the control that opened it when it closes. A bad field
is explained under that field (and focused); a service error comes as a toast.
"""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import (
    field_error,
    labelled_field,
    labelled_number,
    labelled_select,
)
from stock_saas.components.modal import dialog_frame
from stock_saas.state.actions import ActionState
from stock_saas.state.dashboard import DashboardState

__all__ = ["stock_dialogs"]


def _error(field_id: str) -> rx.Var[str]:
    return field_error(ActionState, field_id)


def _quantity(default: str = "1", minimum: int = 1) -> rx.Component:
    return labelled_number(
        "Quantity",
        "quantity",
        minimum=minimum,
        default_value=default,
        auto_focus=True,
        error=_error("quantity"),
    )


def _note() -> rx.Component:
    return labelled_field("Note", "note", optional=True, max_length=500)


def _target_line(preposition: str) -> rx.Component:
    target = ActionState.target
    return rx.text(
        rx.text.strong(target.name),
        f" {preposition} ",
        target.department,
        " — ",
        target.quantity,
        " on hand",
        size="2",
    )


def _frame(kind: str, title: str | rx.Var[str], body: rx.Component, on_submit, label: str):  # type: ignore[no-untyped-def]
    return dialog_frame(
        title,
        body,
        on_submit,
        label,
        open_var=ActionState.dialog == kind,
        on_open_change=ActionState.set_open,
        form_state=ActionState,
        dialog_id=f"{kind}-dialog",
    )


def _movement(kind: str, verb: str) -> rx.Component:
    return _frame(
        kind,
        verb,
        rx.vstack(_target_line("in"), _quantity(), _note(), spacing="3", width="100%"),
        ActionState.submit_movement,
        verb,
    )


def _department_options(exclude: rx.Var[int] | None = None) -> rx.Component:
    def option(d):  # type: ignore[no-untyped-def]
        item = rx.el.option(d.name, value=d.id.to_string())
        return item if exclude is None else rx.cond(d.id != exclude, item)

    return rx.foreach(DashboardState.departments, option)


def _transfer() -> rx.Component:
    target = ActionState.target
    return _frame(
        "transfer",
        "Transfer",
        rx.vstack(
            _target_line("from"),
            _quantity(),
            labelled_select(
                "To department",
                "to_department",
                rx.el.option("Choose…", value=""),
                _department_options(exclude=target.department_id),
                error=_error("to_department"),
            ),
            _note(),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_transfer,
        "Transfer",
    )


def _category_options() -> list[rx.Component]:
    return [
        rx.el.option("No category", value=""),
        rx.foreach(
            DashboardState.categories,
            lambda c: rx.el.option(c.name, value=c.id.to_string()),
        ),
    ]


def _edit() -> rx.Component:
    target = ActionState.target
    return _frame(
        "edit",
        "Edit item & threshold",
        rx.vstack(
            labelled_field(
                "Name",
                "edit-name",
                name="name",
                default_value=target.name,
                auto_focus=True,
                max_length=200,
                error=_error("edit-name"),
            ),
            labelled_field(
                "Barcode",
                "edit-barcode",
                name="barcode",
                default_value=target.barcode,
                max_length=64,
                hint="Empty clears it.",
            ),
            labelled_select(
                "Category",
                "edit-category",
                *_category_options(),
                name="category_id",
                default_value=rx.cond(target.category_id != 0, target.category_id.to_string(), ""),
            ),
            labelled_number(
                rx.text("Low-stock threshold in ", target.department, as_="span"),
                "threshold",
                default_value=target.threshold.to_string(),
                error=_error("threshold"),
            ),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_edit,
        "Save",
    )


def _add() -> rx.Component:
    return _frame(
        "add",
        "Add item",
        rx.vstack(
            labelled_field(
                "Name",
                "item-name",
                name="name",
                auto_focus=True,
                max_length=200,
                error=_error("item-name"),
            ),
            rx.grid(
                labelled_number(
                    "Quantity on hand", "quantity", default_value="0", error=_error("quantity")
                ),
                labelled_number(
                    "Low-stock threshold", "threshold", default_value="0", error=_error("threshold")
                ),
                labelled_select(
                    "Department",
                    "department_id",
                    _department_options(),
                    default_value=DashboardState.department_id.to_string(),
                ),
                labelled_select("Category", "category_id", *_category_options()),
                labelled_field("…or a new category", "new_category", optional=True, max_length=200),
                labelled_field(
                    "Barcode",
                    "barcode",
                    optional=True,
                    default_value=ActionState.add_barcode,
                    max_length=64,
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
                align="end",
            ),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_add,
        "Add item",
    )


def stock_dialogs() -> rx.Component:
    return rx.fragment(
        _add(),
        _movement("issue", "Issue"),
        _movement("return", "Return"),
        _movement("restock", "Restock"),
        _transfer(),
        _edit(),
    )
