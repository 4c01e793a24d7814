"""Dialogs: a form dialog (``dialog_frame``) and a plain one (``modal``).

Radix traps the focus inside an open dialog and Escape closes it. Our dialogs are opened
by state (from menu items, rows, scans), not by a Radix trigger, so Radix would drop the
focus on ``<body>`` when they close; ``assets/focus_return.js`` remembers the control
that had the focus before a dialog opened and ``RETURN_FOCUS`` gives it back.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

__all__ = [
    "MENU_OPENS_DIALOGS",
    "RETURN_FOCUS",
    "dialog_frame",
    "form_message",
    "modal",
    "page_form",
    "warning_notice",
]

RETURN_FOCUS: dict[str, rx.Var[Any]] = {
    "onCloseAutoFocus": rx.Var(
        "((e) => window.stockSaasReturnFocus && window.stockSaasReturnFocus(e))"
    )
}

# On a menu whose items open dialogs: an open dialog keeps the focus when the menu closes.
MENU_OPENS_DIALOGS: dict[str, rx.Var[Any]] = {
    "onCloseAutoFocus": rx.Var(
        "((e) => window.stockSaasMenuClosed && window.stockSaasMenuClosed(e))"
    )
}


def form_message(form_state: Any) -> rx.Component:
    """A form's problem that is about no field in particular (role=alert)."""
    return rx.cond(
        (form_state.form_error != "") & (form_state.error_field == ""),
        rx.callout(
            form_state.form_error,
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            class_name="form-error",
        ),
    )


def page_form(
    form_state: Any,
    *fields: rx.Component,
    on_submit: Any,
    submit: str,
    submit_id: str,
    max_width: str = "100%",
) -> rx.Component:
    """A form on a page (not in a dialog): its labelled fields, the form's own message and
    the submit button; the browser clears it once sent."""
    return rx.form(
        rx.vstack(
            *fields,
            form_message(form_state),
            rx.button(submit, type="submit", id=submit_id),
            spacing="2",
            width="100%",
            max_width=max_width,
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
    )


def warning_notice(when: rx.Var[bool], text: str, notice_id: str) -> rx.Component:
    """A red notice above a page's content, shown while ``when`` holds."""
    return rx.cond(
        when,
        rx.callout(text, icon="triangle-alert", color_scheme="red", id=notice_id, width="100%"),
    )


def modal(
    title: Any,
    *children: rx.Component,
    open_var: rx.Var[bool],
    on_open_change: Any,
    dialog_id: str,
    description: Any = None,
    max_width: str = "30em",
) -> rx.Component:
    """A dialog with a title (its accessible name) and an optional description."""
    head: list[rx.Component] = [rx.dialog.title(title)]
    if description is not None:
        head.append(rx.dialog.description(description, size="2", color_scheme="gray"))
    return rx.dialog.root(
        rx.dialog.content(
            *head,
            *children,
            max_width=max_width,
            id=dialog_id,
            custom_attrs=dict(RETURN_FOCUS),
        ),
        open=open_var,
        on_open_change=on_open_change,
    )


def dialog_frame(
    title: Any,
    body: rx.Component,
    on_submit: Any,
    submit_label: str,
    *,
    open_var: rx.Var[bool],
    on_open_change: Any,
    form_state: Any,
    dialog_id: str,
    description: Any = None,
) -> rx.Component:
    """A form in a dialog: its fields, a general message, Cancel and the submit button."""
    return modal(
        title,
        rx.form(
            rx.vstack(
                body,
                form_message(form_state),
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
            # Our own messages (inline, tied to the field) instead of the browser's bubbles.
            no_validate=True,
        ),
        open_var=open_var,
        on_open_change=on_open_change,
        dialog_id=dialog_id,
        description=description,
    )
