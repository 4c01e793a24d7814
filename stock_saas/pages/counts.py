"""/counts — stock counts: start one, count typed or scanned, see the variance, submit."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import labelled_checkbox, labelled_field, labelled_select
from stock_saas.components.layout import app_shell, empty_state
from stock_saas.state.counts import CountLine, CountRow, CountsState

__all__ = ["counts_page"]


def _start_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Start a count", size="3", as_="h2"),
            labelled_select(
                "Department",
                "count-department",
                rx.el.option("Choose…", value=""),
                rx.foreach(
                    CountsState.departments,
                    lambda d: rx.el.option(d.name, value=d.id.to_string()),
                ),
                name="department_id",
            ),
            labelled_checkbox(
                "Blind count (hide expected quantities)", "count-blind", name="blind"
            ),
            rx.button("Start count", type="submit", id="start-count"),
            spacing="2",
            align="start",
        ),
        on_submit=CountsState.start,
        reset_on_submit=True,
    )


def _recent(row: CountRow) -> rx.Component:
    return rx.el.li(
        rx.link(
            "#", row.id, " ", row.department, " — ", row.status,
            href="#",
            on_click=CountsState.choose(row.id),
            class_name="count-link",
        ),
        rx.text(row.counted, " of ", row.lines, " counted · ", row.started_by, size="1"),
    )  # fmt: skip


def _counted(line: CountLine) -> rx.Component:
    return rx.input(
        id=f"count-{line.item_id}",
        key=f"{line.item_id}-{line.counted}",
        default_value=line.counted,
        type="number",
        min=0,
        input_mode="numeric",
        aria_label=f"Counted {line.name}",
        disabled=~CountsState.is_open,
        on_blur=lambda value: CountsState.set_counted(line.item_id, value),
        width="7em",
    )


def _variance(line: CountLine) -> rx.Component:
    colour = rx.cond(line.short, "var(--red-11)", rx.cond(line.over, "var(--green-11)", ""))
    return rx.text(line.variance, color=colour, weight="medium")


COLUMNS = [
    Column("Item", lambda line: line.name, row_header=True),
    Column("Barcode", lambda line: line.barcode, wide_only=True),
    Column(
        "Expected",
        lambda line: rx.cond(CountsState.blind & CountsState.is_open, "—", line.expected),
    ),
    Column("Counted", _counted),
    Column("Variance", _variance),
]


def _scan_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            labelled_field(
                "Scan or type a barcode",
                "count_scan",
                placeholder="Scan, then Enter",
                auto_complete="off",
                auto_focus=True,
            ),
            rx.button("Add one", type="submit", id="count-scan-submit"),
            align="end",
        ),
        on_submit=CountsState.scan,
        # Cleared in the browser at once, so a second scan typed while the first is on its
        # way is not wiped by the answer.
        reset_on_submit=True,
    )


def _count() -> rx.Component:
    current = CountsState.current
    return rx.vstack(
        rx.heading(
            "Count #", current.id, " · ", current.department, " · ", current.status,
            size="5", id="page-heading",
        ),
        rx.text(CountsState.summary, id="count-summary", role="status"),
        rx.cond(CountsState.is_open, _scan_form()),
        data_table(
            CountsState.lines,
            COLUMNS,
            table_id="count-lines",
            label="Count lines",
            state=CountsState,
            loading=CountsState.loading,
            row_props=lambda line: {
                "class_name": rx.cond(line.item_id == CountsState.last_scanned, "scanned-row", ""),
                "style": rx.cond(
                    line.item_id == CountsState.last_scanned, {"background": "var(--accent-3)"}, {}
                ),
            },
            noun="lines",
            focusable_rows=False,
        ),
        rx.hstack(
            rx.button("Download variances (CSV)", variant="soft", on_click=CountsState.download),
            rx.cond(
                CountsState.is_open & CountsState.is_manager,
                rx.hstack(
                    rx.button("Cancel count", variant="soft", color_scheme="gray",
                              on_click=CountsState.cancel),
                    rx.button("Submit count", on_click=CountsState.submit, id="submit-count"),
                ),
            ),
            spacing="2",
        ),
        spacing="3",
        width="100%",
    )  # fmt: skip


def counts_page() -> rx.Component:
    return app_shell(
        rx.flex(
            rx.vstack(
                rx.cond(CountsState.is_manager, _start_form()),
                rx.heading("Recent counts", size="3", as_="h2"),
                rx.el.ul(rx.foreach(CountsState.recent, _recent), class_name="count-list"),
                width="18em",
                flex_shrink="0",
                spacing="3",
            ),
            rx.cond(
                CountsState.count_id != 0,
                _count(),
                empty_state(
                    "clipboard-list",
                    "No count open",
                    "Start a count of a department, or open one from the list.",
                ),
            ),
            spacing="5",
            width="100%",
            wrap="wrap",
        ),
    )
