"""The stock dialogs (add, issue, return, restock, transfer, edit): keyboard-friendly forms.

Each opens with focus in its first field, Enter submits, Escape closes; a message about a
field shows inside the dialog, a service error comes as a toast.
"""

from __future__ import annotations

import reflex as rx

from stock_saas.state.actions import ActionState
from stock_saas.state.dashboard import DashboardState

__all__ = ["stock_dialogs"]


def labelled(label: str | rx.Component, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
    )


def native_select(name: str, *options: rx.Component, **props: object) -> rx.Component:
    """A plain <select> (always part of the form's data, good with keyboards).

    ``name`` is also its id (forms read fields by id), so it must be unique on the
    page; pass ``name=""`` for a select outside any form.
    """
    props.setdefault("width", "100%")
    width = props.pop("width")
    named = {"name": name, "id": name} if name else {}
    return rx.el.select(
        *options,
        class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
        style={"width": width},
        **named,
        **props,
    )


def form_error(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message,
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            class_name="form-error",
        ),
    )


def dialog_frame(
    kind: str | rx.Var[bool],
    title: rx.Var[str] | str,
    body: rx.Component,
    on_submit: object,
    submit_label: str,
    *,
    open_var: rx.Var[bool] | None = None,
    on_open_change: object = ActionState.set_open,
    error: rx.Var[str] = ActionState.form_error,
) -> rx.Component:
    is_open = open_var if open_var is not None else ActionState.dialog == kind
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    body,
                    form_error(error),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(submit_label, type="submit", class_name="dialog-submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                # Our own messages (inline, role=alert) instead of the browser's bubbles.
                no_validate=True,
            ),
            max_width="30em",
        ),
        open=is_open,
        on_open_change=on_open_change,
    )


def _quantity_input(default: str = "1", minimum: int = 1) -> rx.Component:
    return rx.input(
        name="quantity",
        id="quantity",
        type="number",
        min=minimum,
        step=1,
        default_value=default,
        auto_focus=True,
        input_mode="numeric",
    )


def _movement(kind: str, verb: str) -> rx.Component:
    target = ActionState.target
    return dialog_frame(
        kind,
        f"{verb} ",
        rx.vstack(
            rx.text(
                rx.text.strong(target.name),
                " in ",
                target.department,
                " — ",
                target.quantity,
                " on hand",
                size="2",
            ),
            labelled("Quantity", _quantity_input()),
            labelled("Note (optional)", rx.input(name="note", max_length=500)),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_movement,
        verb,
    )


def _transfer() -> rx.Component:
    target = ActionState.target
    return dialog_frame(
        "transfer",
        "Transfer",
        rx.vstack(
            rx.text(
                rx.text.strong(target.name),
                " from ",
                target.department,
                " — ",
                target.quantity,
                " on hand",
                size="2",
            ),
            labelled("Quantity", _quantity_input()),
            labelled(
                "To department",
                native_select(
                    "to_department",
                    rx.el.option("Choose…", value=""),
                    rx.foreach(
                        DashboardState.departments,
                        lambda d: rx.cond(
                            d.id != target.department_id,
                            rx.el.option(d.name, value=d.id.to_string()),
                        ),
                    ),
                ),
            ),
            labelled("Note (optional)", rx.input(name="note", max_length=500)),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_transfer,
        "Transfer",
    )


def _category_options(selected: rx.Var[int] | None = None) -> list[rx.Component]:
    return [
        rx.el.option("No category", value=""),
        rx.foreach(
            DashboardState.categories,
            lambda c: rx.el.option(c.name, value=c.id.to_string()),
        ),
    ]


def _edit() -> rx.Component:
    target = ActionState.target
    return dialog_frame(
        "edit",
        "Edit item & threshold",
        rx.vstack(
            labelled(
                "Name",
                rx.input(name="name", default_value=target.name, auto_focus=True, max_length=200),
            ),
            labelled(
                "Barcode",
                rx.input(name="barcode", default_value=target.barcode, max_length=64),
                "Empty clears it.",
            ),
            labelled(
                "Category",
                native_select(
                    "category_id",
                    *_category_options(),
                    default_value=rx.cond(
                        target.category_id != 0, target.category_id.to_string(), ""
                    ),
                ),
            ),
            labelled(
                rx.text("Low-stock threshold in ", target.department),
                rx.input(
                    name="threshold",
                    type="number",
                    min=0,
                    step=1,
                    default_value=target.threshold.to_string(),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        ActionState.submit_edit,
        "Save",
    )


def _add() -> rx.Component:
    return dialog_frame(
        "add",
        "Add item",
        rx.vstack(
            labelled(
                "Name", rx.input(name="name", id="item-name", auto_focus=True, max_length=200)
            ),
            rx.grid(
                labelled("Quantity", _quantity_input("0", 0)),
                labelled(
                    "Low-stock threshold",
                    rx.input(
                        name="threshold",
                        id="threshold",
                        type="number",
                        min=0,
                        step=1,
                        default_value="0",
                    ),
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            labelled(
                "Department",
                native_select(
                    "department_id",
                    rx.foreach(
                        DashboardState.departments,
                        lambda d: rx.el.option(d.name, value=d.id.to_string()),
                    ),
                    default_value=DashboardState.department_id.to_string(),
                ),
            ),
            rx.grid(
                labelled("Category", native_select("category_id", *_category_options())),
                labelled("…or a new category", rx.input(name="new_category", max_length=200)),
                columns="2",
                spacing="3",
                width="100%",
            ),
            labelled(
                "Barcode (optional)",
                rx.input(
                    name="barcode",
                    id="barcode",
                    default_value=ActionState.add_barcode,
                    max_length=64,
                ),
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
