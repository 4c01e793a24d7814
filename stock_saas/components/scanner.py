"""Barcode scanning: the keyboard-wedge scan field, the camera dialog, and the item panel."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import passthrough_event_spec

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.modal import modal
from stock_saas.state.actions import ActionState
from stock_saas.state.history import HistoryState
from stock_saas.state.scan import ScanState
from stock_saas.state.views import StockLine

__all__ = ["BarcodeCamera", "camera_dialog", "item_panel", "scan_field"]


class BarcodeCamera(rx.NoSSRComponent):
    """BarcodeDetector where the browser has it, ZXing (npm @zxing/browser) otherwise."""

    library = "$/public/" + rx.asset("barcode_camera.jsx", shared=True)
    tag = "BarcodeCamera"
    lib_dependencies: list[str] = ["@zxing/browser@0.2.1", "@zxing/library@0.23.0"]

    on_detected: rx.EventHandler[passthrough_event_spec(str)]


def scan_field() -> rx.Component:
    """Scanners type the code and Enter: the form submits and the item opens."""
    return rx.form(
        rx.hstack(
            rx.el.label("Barcode", html_for="scan", class_name="sr-only"),
            rx.input(
                rx.input.slot(rx.icon("scan-barcode", size=14, aria_hidden="true")),
                name="code",
                id="scan",
                placeholder="Scan or type a barcode",
                value=ScanState.code,
                on_change=ScanState.set_code,
                input_mode="numeric",
                auto_complete="off",
            ),
            rx.icon_button(
                rx.icon("camera", size=16, aria_hidden="true"),
                type="button",
                variant="soft",
                on_click=ScanState.set_camera_open(True),
                aria_label="Scan with the camera",
                id="camera-button",
            ),
            spacing="1",
        ),
        on_submit=ScanState.submit_scan,
        reset_on_submit=False,
        width="auto",
    )


def camera_dialog() -> rx.Component:
    return modal(
        "Scan a barcode",
        rx.cond(ScanState.camera_open, BarcodeCamera.create(on_detected=ScanState.lookup)),
        rx.hstack(
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
            justify="end",
        ),
        open_var=ScanState.camera_open,
        on_open_change=ScanState.set_camera_open,
        dialog_id="camera-dialog",
        max_width="32em",
    )


def _level_actions(level: StockLine) -> rx.Component:
    def button(label: str, action: str, variant: str = "soft") -> rx.Component:
        return rx.button(
            label,
            size="1",
            variant=variant,
            on_click=ActionState.start(action, level.id),
            aria_label=rx.Var.create(f"{label} in ") + level.department,
        )

    return rx.hstack(
        button("Issue", "issue", "solid"),
        button("Return", "return"),
        rx.cond(
            ScanState.is_manager,
            rx.fragment(
                button("Restock", "restock"),
                button("Transfer", "transfer"),
                button("Edit", "edit"),
            ),
        ),
        spacing="1",
        wrap="wrap",
    )


def _level_quantity(level: StockLine) -> rx.Component:
    return rx.hstack(
        rx.text(level.quantity, weight="bold"),
        rx.cond(level.low, rx.badge("LOW", color_scheme="red")),
        spacing="2",
    )


LEVEL_COLUMNS = [
    Column("Department", lambda level: level.department, row_header=True),
    Column("Quantity", _level_quantity),
    Column("Threshold", lambda level: level.threshold),
]


def _known_item() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(
                ScanState.item_barcode != "", rx.badge(ScanState.item_barcode, variant="outline")
            ),
            rx.cond(
                ScanState.item_category != "", rx.badge(ScanState.item_category, variant="soft")
            ),
            rx.text(ScanState.on_hand, " on hand in total", size="2"),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            ScanState.item_notes != "", rx.text(ScanState.item_notes, size="2", color_scheme="gray")
        ),
        data_table(
            ScanState.levels,
            LEVEL_COLUMNS,
            table_id="item-levels",
            label=rx.Var.create("Stock of ") + ScanState.item_name,
            empty=rx.text("Not stocked in any department yet.", color_scheme="gray"),
            row_actions=_level_actions,
            focusable_rows=False,
        ),
        rx.hstack(
            rx.button(
                "History",
                variant="soft",
                on_click=HistoryState.show(ScanState.item_id, ScanState.item_name),
            ),
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
            justify="end",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _unknown_code() -> rx.Component:
    return rx.vstack(
        rx.text("No item has the barcode ", rx.code(ScanState.unknown_code), "."),
        rx.hstack(
            rx.cond(
                ScanState.is_manager,
                rx.button(
                    "Add item with this barcode",
                    on_click=[
                        ScanState.set_panel_open(False),
                        ActionState.start_add(ScanState.unknown_code),
                    ],
                    id="add-with-barcode",
                    auto_focus=True,
                ),
                rx.text("Ask a manager to add it.", color_scheme="gray", size="2"),
            ),
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
            justify="end",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def item_panel() -> rx.Component:
    return modal(
        rx.cond(ScanState.unknown_code != "", "Unknown barcode", ScanState.item_name),
        rx.cond(ScanState.unknown_code != "", _unknown_code(), _known_item()),
        open_var=ScanState.panel_open,
        on_open_change=ScanState.set_panel_open,
        dialog_id="item-panel",
        max_width="44em",
    )
