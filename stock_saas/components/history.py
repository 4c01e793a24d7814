"""Audit entries as a table (the history dialog and /audit share the columns)."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.charts import usage_chart
from stock_saas.components.data_table import Column, data_table
from stock_saas.components.modal import modal
from stock_saas.state.history import CHART_DAYS, HistoryState
from stock_saas.state.views import HistoryLine

__all__ = ["history_columns", "history_dialog"]


def _delta(entry: HistoryLine) -> rx.Component:
    value = entry.delta
    return rx.text(
        rx.cond(value > 0, "+", ""),
        value,
        color=rx.cond(value < 0, "var(--red-11)", rx.cond(value > 0, "var(--green-11)", "inherit")),
        weight="medium",
    )


def _action(entry: HistoryLine) -> rx.Component:
    """The action, and for an adjust its reason and note (why the shelf changed)."""
    return rx.vstack(
        rx.hstack(
            rx.badge(entry.action, variant="soft"),
            rx.cond(entry.reason != "", rx.badge(entry.reason, variant="outline")),
            spacing="1",
        ),
        rx.cond(entry.note != "", rx.text(entry.note, size="1", color_scheme="gray")),
        spacing="1",
    )


def history_columns(*, show_item: bool = False) -> list[Column]:
    item = [Column("Item", lambda e: e.item_name, row_header=True)] if show_item else []
    return [
        Column("When (UTC)", lambda e: rx.text(e.created_at, size="1", white_space="nowrap")),
        *item,
        Column("Department", lambda e: e.department_name),
        Column("Action", _action),
        Column("Change", _delta),
        Column("After", lambda e: e.quantity_after),
        Column("By", lambda e: rx.text(e.actor_name, " · ", e.source, size="1")),
    ]


def _period_button(days: int) -> rx.Component:
    chosen = HistoryState.chart_days == days
    return rx.button(
        f"{days} days",
        size="1",
        variant=rx.cond(chosen, "solid", "soft"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=HistoryState.set_chart_days(days),
        id=f"chart-days-{days}",
    )


def _chart() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(HistoryState.chart_summary, size="1", id="usage-summary"),
            rx.spacer(),
            rx.hstack(
                *[_period_button(days) for days in CHART_DAYS],
                spacing="1",
                role="group",
                aria_label="Chart period",
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        usage_chart(
            HistoryState.chart,
            rx.Var.create("Quantity on hand, threshold, issues and returns of ")
            + HistoryState.item_name,
        ),
        spacing="2",
        width="100%",
    )


def history_dialog() -> rx.Component:
    return modal(
        rx.text("History of ", HistoryState.item_name, as_="span"),
        rx.cond(HistoryState.chart.length() > 0, _chart()),
        data_table(
            HistoryState.entries,
            history_columns(),
            table_id="history",
            label=rx.Var.create("History of ") + HistoryState.item_name,
            state=HistoryState,
            loading=HistoryState.loading,
            empty=rx.text("No history yet.", color_scheme="gray"),
            row_props=lambda e: {"class_name": "history-row"},
            noun="entries",
            focusable_rows=False,
        ),
        rx.hstack(
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray", size="2")),
            justify="end",
            width="100%",
            padding_top="0.5em",
        ),
        open_var=HistoryState.open,
        on_open_change=HistoryState.set_open,
        dialog_id="history-dialog",
        description="Newest first; changes by anyone in your organisation appear here live.",
        max_width="52em",
    )
