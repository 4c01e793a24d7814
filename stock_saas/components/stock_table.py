"""The stock table (one server-side page, sortable, paged: ``data_table``) and its filters."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.css_icon import css_icon
from stock_saas.components.data_table import Column, data_table
from stock_saas.components.layout import empty_state
from stock_saas.components.lazy_menu import lazy_menu
from stock_saas.components.modal import MENU_OPENS_DIALOGS
from stock_saas.state.actions import ActionState
from stock_saas.state.adjust import AdjustState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.history import HistoryState
from stock_saas.state.labels import LabelsState
from stock_saas.state.scan import ScanState
from stock_saas.state.views import StockLine

__all__ = ["filters_bar", "stock_table"]


# A page of 25 rows is most of the dashboard's first render: the rows' contents are plain
# elements with the classes Radix Themes gives its link, text, badge and button (the same
# markup and look), so React draws one element each instead of Radix's layers (see
# data_table). The menu itself, mounted on first press, is Radix's; its trigger is the same
# plain button.
_BUTTON = "rt-reset rt-BaseButton rt-r-size-1 rt-variant-soft rt-Button row-actions-button"


def _actions_button(row: StockLine, custom_attrs: dict[str, str] | None = None) -> rx.Component:
    """The row's menu button: rx.button's markup as one plain element (Radix's trigger takes
    it as its child once the menu is mounted)."""
    return rx.el.button(
        "Actions",
        css_icon("chevron-down"),
        type="button",
        class_name=_BUTTON,
        aria_label=f"Actions for {row.name} in {row.department}",
        custom_attrs={"data-accent-color": "", **(custom_attrs or {})},
    )


def _row_actions(row: StockLine) -> rx.Component:
    return lazy_menu(
        lambda **attrs: _actions_button(row, **attrs),
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
                    rx.menu.item("Adjust / write off", on_click=AdjustState.start(row.id)),
                    rx.menu.item("Print label", on_click=LabelsState.start_row(row.id)),
                ),
            ),
            rx.menu.separator(),
            rx.menu.item("History", on_click=HistoryState.show(row.item_id, row.name)),
            custom_attrs=dict(MENU_OPENS_DIALOGS),
        ),
    )


def _name(row: StockLine) -> rx.Component:
    return rx.fragment(
        # A button drawn as rx.link draws a link: it opens the item's panel, it goes
        # nowhere (and a plain <a> would compile to a router link, hooks and all).
        rx.el.button(
            row.name,
            type="button",
            on_click=ScanState.open_item(row.item_id),
            class_name="rt-Text rt-reset rt-Link rt-r-weight-medium rt-underline-auto row-primary",
            custom_attrs={"data-accent-color": ""},
            tab_index=-1,  # the row itself takes the focus; Enter opens the item
        ),
        rx.cond(
            row.barcode != "",
            rx.el.p(
                row.barcode,
                class_name="rt-Text rt-r-size-1",
                custom_attrs={"data-accent-color": "gray"},
            ),
        ),
    )


def _quantity(row: StockLine) -> rx.Component:
    return rx.el.div(
        rx.el.p(row.quantity, class_name="rt-Text rt-r-weight-bold quantity"),
        rx.cond(
            row.low,
            rx.el.span(
                "LOW",
                class_name="rt-reset rt-Badge rt-r-size-1 rt-variant-soft low-marker",
                custom_attrs={"data-accent-color": "red"},
            ),
        ),
        class_name="rt-Flex rt-r-fd-row rt-r-ai-center rt-r-gap-2 rx-Stack",
    )


COLUMNS = [
    Column("Item", _name, sort_key="name", row_header=True),
    Column("Quantity", _quantity, sort_key="quantity"),
    Column("Threshold", lambda r: r.threshold, sort_key="threshold"),
    Column("Department", lambda r: r.department, sort_key="department", wide_only=True),
    Column("Category", lambda r: r.category, sort_key="category", wide_only=True),
]


def filters_bar() -> rx.Component:
    return rx.flex(
        rx.el.label("Search", html_for="search", class_name="sr-only"),
        rx.debounce_input(
            rx.input(
                rx.input.slot(rx.icon("search", size=14, aria_hidden="true")),
                placeholder="Search name or barcode",
                value=DashboardState.q,
                on_change=DashboardState.search,
                id="search",
                type="search",
                min_width="14em",
            ),
            debounce_timeout=300,
        ),
        rx.hstack(
            rx.el.label("Category", html_for="category-filter", class_name="field-label"),
            rx.el.select(
                rx.el.option("All categories", value="all"),
                rx.foreach(
                    DashboardState.categories,
                    lambda c: rx.el.option(c.name, value=c.id.to_string()),
                ),
                id="category-filter",
                value=DashboardState.category_id,
                on_change=DashboardState.choose_category,
                class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
            ),
            spacing="2",
            align="center",
        ),
        rx.hstack(
            rx.switch(
                id="low-only",
                checked=DashboardState.low_only,
                on_change=DashboardState.set_low_only,
            ),
            rx.el.label("Low stock only", html_for="low-only", class_name="field-label"),
            spacing="2",
            align="center",
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def _empty() -> rx.Component:
    return rx.cond(
        DashboardState.filtered,
        empty_state(
            "search-x",
            "Nothing matches",
            "No stock level matches these filters. Clear them to see everything here.",
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
    return data_table(
        DashboardState.rows,
        COLUMNS,
        table_id="stock-table",
        label="Stock levels",
        state=DashboardState,
        loading=DashboardState.loading,
        empty=_empty(),
        row_actions=_row_actions,
        row_props=lambda r: {
            "class_name": "stock-row",
            "data_level": r.id,
            "data_item": r.name,
        },
        noun="stock levels",
    )
