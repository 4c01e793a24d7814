"""The adjust dialog: counted quantity or a signed change, a reason, a note."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import (
    field_error,
    labelled_field,
    labelled_number,
    labelled_select,
)
from stock_saas.components.modal import dialog_frame
from stock_saas.state.adjust import REASONS, AdjustState

__all__ = ["adjust_dialog"]

_LABELS = {
    "counted": "Counted",
    "damaged": "Damaged (write-off)",
    "expired": "Expired (write-off)",
    "lost": "Lost (write-off)",
    "found": "Found",
    "correction": "Correction",
}


def adjust_dialog() -> rx.Component:
    target = AdjustState.target
    return dialog_frame(
        "Adjust stock",
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
            labelled_select(
                "How",
                "adjust_mode",
                rx.el.option("Set to the quantity counted", value="counted"),
                rx.el.option("Change by a number (+/-)", value="by"),
                name="mode",
                value=AdjustState.mode,
                on_change=AdjustState.set_mode,
            ),
            rx.cond(
                AdjustState.mode == "counted",
                labelled_number(
                    "Quantity on the shelf",
                    "adjust_counted",
                    default_value=target.quantity.to_string(),
                    auto_focus=True,
                    error=field_error(AdjustState, "adjust_counted"),
                ),
                labelled_field(
                    "Change by",
                    "adjust_by",
                    hint="Negative writes off, e.g. -2.",
                    error=field_error(AdjustState, "adjust_by"),
                ),
            ),
            labelled_select(
                "Reason",
                "adjust_reason",
                rx.el.option("Choose…", value=""),
                *[rx.el.option(_LABELS[r], value=r) for r in REASONS],
                name="reason",
                error=field_error(AdjustState, "adjust_reason"),
            ),
            labelled_field("Note", "adjust_note", name="note", optional=True, max_length=500),
            spacing="3",
            width="100%",
        ),
        AdjustState.submit,
        "Adjust",
        open_var=AdjustState.open,
        on_open_change=AdjustState.set_open,
        form_state=AdjustState,
        dialog_id="adjust-dialog",
    )
