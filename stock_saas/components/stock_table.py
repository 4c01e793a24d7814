"""The stock table: one server-side page, sortable headers, low markers, row actions."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.layout import empty_state
from stock_saas.state.actions import ActionState
from stock_saas.state.dashboard import PAGE_SIZES, DashboardState
from stock_saas.state.history import HistoryState
from stock_saas.state.scan import ScanState
from stock_saas.state.views import StockLine

__all__ = ["filters_bar", "pager", "stock_table"]


def _sort_header(label: str, column: str, **props: object) -> rx.Component:
    arrow = rx.cond(
        DashboardState.sort == column,
        rx.cond(
            DashboardState.descending, rx.icon("arrow-down", size=12), rx.icon("arrow-up", size=12)
        ),
        rx.icon("arrow-up-down", size=12, opacity="0.35"),
    )
    return rx.table.column_header_cell(
        rx.button(
            label,
            arrow,
            variant="ghost",
            size="1",
            color_scheme="gray",
            high_contrast=True,
            on_click=DashboardState.sort_by(column),
            aria_label=f"Sort by {label}",
        ),
        aria_sort=rx.cond(
            DashboardState.sort == column,
            rx.cond(DashboardState.descending, "descending", "ascending"),
            "none",
        ),
        **props,
    )


def _row_actions(row: StockLine) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button("Actions", rx.icon("chevron-down", size=12), size="1", variant="soft")
        ),
        rx.menu.content(
            rx.menu.item("Issue", on_click=ActionState.start("issue", row.id)),
            rx.menu.item("Return", on_click=ActionState.start("return", row.id)),
            rx.cond(
                DashboardState.is_manager,
                rx.fragment(
                    rx.menu.item("Restock", on_click=ActionState.start("restock", row.id)),
                    rx.menu.item("Transfer", on_click=ActionState.start("transfer", row.id)),
                    rx.menu.item(
                        "Edit item & threshold", on_click=ActionState.start("edit", row.id)
                    ),
                ),
            ),
            rx.menu.separator(),
            rx.menu.item("History", on_click=HistoryState.show(row.item_id, row.name)),
        ),
    )


def _row(row: StockLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                rx.text(row.name, weight="medium"),
                on_click=ScanState.open_item(row.item_id),
                cursor="pointer",
            ),
            rx.cond(row.barcode != "", rx.text(row.barcode, size="1", color_scheme="gray")),
        ),
        rx.table.cell(
            rx.hstack(
                rx.text(row.quantity, weight="bold", class_name="quantity"),
                rx.cond(row.low, rx.badge("LOW", color_scheme="red", class_name="low-marker")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(row.threshold),
        rx.table.cell(row.department, display=["none", "none", "table-cell"]),
        rx.table.cell(row.category, display=["none", "none", "table-cell"]),
        rx.table.cell(_row_actions(row)),
        class_name="stock-row",
        data_level=row.id,
        data_item=row.name,
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        rx.debounce_input(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder="Search name or barcode",
                value=DashboardState.q,
                on_change=DashboardState.search,
                id="search",
                min_width="14em",
            ),
            debounce_timeout=300,
        ),
        rx.select.root(
            rx.select.trigger(placeholder="All categories"),
            rx.select.content(
                rx.select.item("All categories", value="all"),
                rx.foreach(
                    DashboardState.categories,
                    lambda c: rx.select.item(c.name, value=c.id.to_string()),
                ),
            ),
            value=DashboardState.category_id,
            on_change=DashboardState.choose_category,
            name="category-filter",
        ),
        rx.text(
            rx.hstack(
                rx.switch(
                    checked=DashboardState.low_only,
                    on_change=DashboardState.set_low_only,
                    id="low-only",
                ),
                "Low stock only",
                spacing="2",
                align="center",
            ),
            as_="label",
            size="2",
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def pager() -> rx.Component:
    return rx.flex(
        rx.text(DashboardState.range_text, size="2", color_scheme="gray", id="range"),
        rx.spacer(),
        rx.select(
            list(PAGE_SIZES),
            value=DashboardState.page_size.to_string(),
            on_change=DashboardState.set_page_size,
            size="1",
        ),
        rx.icon_button(
            rx.icon("chevron-left", size=14),
            size="1",
            variant="soft",
            disabled=DashboardState.page == 0,
            on_click=DashboardState.go_to_page(DashboardState.page - 1),
            aria_label="Previous page",
        ),
        rx.text(DashboardState.page + 1, " / ", DashboardState.page_count, size="2"),
        rx.icon_button(
            rx.icon("chevron-right", size=14),
            size="1",
            variant="soft",
            disabled=DashboardState.page + 1 >= DashboardState.page_count,
            on_click=DashboardState.go_to_page(DashboardState.page + 1),
            aria_label="Next page",
        ),
        spacing="2",
        align="center",
        width="100%",
        padding_top="0.5em",
    )


def _empty() -> rx.Component:
    return rx.cond(
        DashboardState.filtered,
        empty_state(
            "search-x",
            "Nothing matches",
            "No stock level matches these filters.",
            rx.button("Clear filters", on_click=DashboardState.clear_filters, variant="soft"),
        ),
        empty_state(
            "package-open",
            "No stock here yet",
            rx.cond(
                DashboardState.is_manager,
                "Add your first item: give it a quantity and a low-stock threshold.",
                "Ask a manager to add items to this department.",
            ),
            rx.cond(
                DashboardState.is_manager,
                rx.button("Add item", on_click=ActionState.start_add(""), id="empty-add-item"),
            ),
        ),
    )


def stock_table() -> rx.Component:
    return rx.cond(
        DashboardState.loading,
        rx.vstack(*[rx.skeleton(height="2.2em", width="100%") for _ in range(6)], width="100%"),
        rx.cond(
            DashboardState.total == 0,
            _empty(),
            rx.vstack(
                rx.scroll_area(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                _sort_header("Item", "name"),
                                _sort_header("Quantity", "quantity"),
                                _sort_header("Threshold", "threshold"),
                                _sort_header(
                                    "Department",
                                    "department",
                                    display=["none", "none", "table-cell"],
                                ),
                                _sort_header(
                                    "Category", "category", display=["none", "none", "table-cell"]
                                ),
                                rx.table.column_header_cell(""),
                            )
                        ),
                        rx.table.body(rx.foreach(DashboardState.rows, _row)),
                        variant="surface",
                        size="1",
                        width="100%",
                        id="stock-table",
                    ),
                    type="auto",
                    scrollbars="horizontal",
                ),
                pager(),
                width="100%",
                spacing="1",
            ),
        ),
    )
