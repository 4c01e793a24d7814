"""The live history dialog of one item."""

from __future__ import annotations

import reflex as rx

from stock_saas.state.history import HistoryState
from stock_saas.state.views import HistoryLine

__all__ = ["history_dialog", "history_table"]


def _delta(value: rx.Var[int]) -> rx.Component:
    return rx.text(
        rx.cond(value > 0, "+", ""),
        value,
        color=rx.cond(value < 0, "var(--red-11)", rx.cond(value > 0, "var(--green-11)", "inherit")),
        weight="medium",
    )


def history_table(entries: rx.Var[list[HistoryLine]], *, show_item: bool = False) -> rx.Component:
    def row(entry: HistoryLine) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(entry.created_at, size="1", white_space="nowrap")),
            *([rx.table.cell(entry.item_name)] if show_item else []),
            rx.table.cell(entry.department_name),
            rx.table.cell(rx.badge(entry.action, variant="soft")),
            rx.table.cell(_delta(entry.delta)),
            rx.table.cell(entry.quantity_after),
            rx.table.cell(rx.text(entry.actor_name, " · ", entry.source, size="1")),
            class_name="history-row",
        )

    return rx.scroll_area(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("When (UTC)"),
                    *([rx.table.column_header_cell("Item")] if show_item else []),
                    rx.table.column_header_cell("Department"),
                    rx.table.column_header_cell("Action"),
                    rx.table.column_header_cell("Change"),
                    rx.table.column_header_cell("After"),
                    rx.table.column_header_cell("By"),
                )
            ),
            rx.table.body(rx.foreach(entries, row)),
            size="1",
            width="100%",
        ),
        type="auto",
        scrollbars="horizontal",
    )


def history_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("History of ", HistoryState.item_name),
            rx.dialog.description(
                "Newest first; changes by anyone in your organisation appear here live.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                HistoryState.loading,
                rx.center(rx.spinner(), padding="2em"),
                rx.cond(
                    HistoryState.total == 0,
                    rx.text("No history yet.", color_scheme="gray"),
                    history_table(HistoryState.entries),
                ),
            ),
            rx.hstack(
                rx.text(
                    HistoryState.total,
                    " entries",
                    size="2",
                    color_scheme="gray",
                    id="history-total",
                ),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("chevron-left", size=14),
                    size="1",
                    variant="soft",
                    disabled=HistoryState.page == 0,
                    on_click=HistoryState.go_to_page(HistoryState.page - 1),
                    aria_label="Newer entries",
                ),
                rx.text(HistoryState.page + 1, " / ", HistoryState.page_count, size="2"),
                rx.icon_button(
                    rx.icon("chevron-right", size=14),
                    size="1",
                    variant="soft",
                    disabled=HistoryState.page + 1 >= HistoryState.page_count,
                    on_click=HistoryState.go_to_page(HistoryState.page + 1),
                    aria_label="Older entries",
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray", size="1")),
                width="100%",
                align="center",
                padding_top="0.5em",
            ),
            max_width="52em",
            id="history-dialog",
        ),
        open=HistoryState.open,
        on_open_change=HistoryState.set_open,
    )
