"""/reorder (and /reorder/print): what to order and how much, with days left as bars."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.charts import days_left_chart
from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import field_error, labelled_number, labelled_select
from stock_saas.components.guards import managers_only
from stock_saas.components.layout import empty_state
from stock_saas.state.reorder import ReorderLine, ReorderState

__all__ = ["reorder_page", "reorder_print_page"]


def _columns() -> list[Column]:
    return [
        Column("Item", lambda r: r.name, row_header=True),
        Column("Department", lambda r: r.department),
        Column(
            "On hand",
            lambda r: rx.hstack(
                rx.text(r.quantity),
                rx.cond(r.low, rx.badge("low", color_scheme="red", variant="soft")),
                spacing="1",
            ),
        ),
        Column("Threshold", lambda r: r.threshold),
        Column("Used a day", lambda r: r.daily_usage),
        Column("Days left", lambda r: r.days_left),
        Column("Runs out", lambda r: r.stockout_date, wide_only=True),
        Column("Order", lambda r: rx.text(r.suggested_order, weight="bold")),
    ]


def _row_props(row: ReorderLine) -> dict[str, object]:
    return {"class_name": "reorder-row", "data_item": row.name}


def _days_field(label: str, field_id: str, value: rx.Var[int], minimum: int) -> rx.Component:
    return rx.box(
        labelled_number(
            label,
            field_id,
            minimum=minimum,
            default_value=value.to_string(),
            key=value.to_string(),  # a new URL's value replaces what was typed
            error=field_error(ReorderState, field_id),
        ),
        width="11em",
    )


def _controls() -> rx.Component:
    return rx.form(
        rx.flex(
            _days_field("Usage over (days)", "reorder-days", ReorderState.days, 1),
            _days_field("Order to last (days)", "reorder-cover", ReorderState.cover, 0),
            rx.box(
                labelled_select(
                    "Department",
                    "reorder-department",
                    rx.el.option("All departments", value="all"),
                    rx.foreach(
                        ReorderState.departments,
                        lambda d: rx.el.option(d["name"], value=d["id"]),
                    ),
                    default_value=ReorderState.department_id,
                    key=ReorderState.department_id,
                ),
                width="14em",
            ),
            rx.button("Show", type="submit", id="reorder-apply"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=ReorderState.apply,
        reset_on_submit=False,
        class_name="no-print",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.heading("Reorder", size="5"),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=14, aria_hidden="true"),
            "Download CSV",
            variant="soft",
            on_click=ReorderState.download_csv,
            id="reorder-csv",
        ),
        rx.link(
            rx.button(
                rx.icon("printer", size=14, aria_hidden="true"),
                "Print view",
                variant="soft",
                as_="span",
            ),
            href=ReorderState.print_href,
            id="reorder-print",
            target="_blank",
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
        class_name="no-print",
    )


def _summary() -> rx.Component:
    return rx.vstack(
        rx.text(
            ReorderState.total,
            " to reorder: usage over the last ",
            ReorderState.days,
            " days, orders to last ",
            ReorderState.cover,
            " days, as of ",
            ReorderState.as_of,
            ".",
            size="2",
            id="reorder-summary",
        ),
        rx.cond(
            ReorderState.running_out > 0,
            rx.hstack(
                rx.badge("Only what runs out within ", ReorderState.running_out, " days"),
                rx.button(
                    "Show everything to reorder",
                    variant="ghost",
                    size="1",
                    on_click=ReorderState.show_everything,
                    class_name="no-print",
                ),
                align="center",
            ),
        ),
        spacing="1",
    )


def _table(paged: bool) -> rx.Component:
    return data_table(
        ReorderState.rows,
        _columns(),
        table_id="reorder-table",
        label="Reorder list",
        state=ReorderState if paged else None,
        loading=ReorderState.loading,
        empty=empty_state(
            "circle-check",
            "Nothing to reorder",
            "No stock level is low or runs low within the cover at this pace.",
        ),
        row_props=_row_props,
        noun="to reorder",
        focusable_rows=False,
    )


@managers_only
def reorder_page() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        _controls(),
        _summary(),
        days_left_chart(ReorderState.chart_rows),
        _table(paged=True),
        spacing="3",
        width="100%",
    )


@managers_only
def reorder_print_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Reorder list", size="5"),
        _summary(),
        _table(paged=False),
        rx.button(
            rx.icon("printer", size=14, aria_hidden="true"),
            "Print",
            on_click=rx.call_script("window.print()"),
            class_name="no-print",
        ),
        spacing="3",
        width="100%",
        class_name="print-view",
    )
