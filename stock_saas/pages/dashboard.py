"""/ — the dashboard: departments sidebar, filters, the stock table and its dialogs."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.adjust_dialog import adjust_dialog
from stock_saas.components.after_paint import after_first_paint
from stock_saas.components.catalog_dialogs import catalog_dialogs
from stock_saas.components.dialogs import stock_dialogs
from stock_saas.components.history import history_dialog
from stock_saas.components.labels_dialog import labels_dialog
from stock_saas.components.layout import app_shell
from stock_saas.components.overview_strip import overview_strip
from stock_saas.components.scanner import camera_dialog, item_panel, scan_field
from stock_saas.components.sidebar import department_picker, departments_sidebar
from stock_saas.components.stock_table import filters_bar, stock_table
from stock_saas.state.actions import ActionState
from stock_saas.state.catalog_admin import CatalogAdminState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.labels import LabelsState
from stock_saas.state.stock_export import StockExportState

__all__ = ["dashboard_page"]


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.heading(DashboardState.department_name, size="5", id="page-heading"),
        rx.spacer(),
        scan_field(),
        rx.button(
            rx.icon("download", size=14, aria_hidden="true"),
            "Export CSV",
            variant="soft",
            on_click=StockExportState.download,
            id="export-stock",
        ),
        rx.cond(
            DashboardState.is_manager,
            rx.hstack(
                rx.button(
                    rx.icon("printer", size=14, aria_hidden="true"),
                    "Print labels",
                    variant="soft",
                    on_click=LabelsState.start,
                    id="print-labels",
                ),
                rx.button(
                    rx.icon("tags", size=14),
                    "Categories",
                    variant="soft",
                    on_click=CatalogAdminState.start_categories,
                    id="manage-categories",
                ),
                rx.button(
                    rx.icon("plus", size=14),
                    "Add item",
                    on_click=ActionState.start_add(""),
                    id="add-item",
                ),
                spacing="2",
            ),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
    )


def dashboard_page() -> rx.Component:
    return app_shell(
        rx.flex(
            rx.box(
                departments_sidebar(),
                width="16em",
                flex_shrink="0",
                display=["none", "none", "block"],
            ),
            rx.vstack(
                _toolbar(),
                overview_strip(),
                after_first_paint(
                    rx.box(department_picker(), width="100%", display=["block", "block", "none"])
                ),
                filters_bar(),
                stock_table(),
                spacing="3",
                width="100%",
                min_width="0",
            ),
            spacing="5",
            width="100%",
        ),
        after_first_paint(
            stock_dialogs(),
            adjust_dialog(),
            labels_dialog(),
            catalog_dialogs(),
            history_dialog(),
            camera_dialog(),
            item_panel(),
        ),
    )
