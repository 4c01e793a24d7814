"""/audit: the tenant's audit log for admins, with the CSV export."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import data_table
from stock_saas.components.fields import native_select
from stock_saas.components.guards import admin_only
from stock_saas.components.history import history_columns
from stock_saas.components.layout import empty_state
from stock_saas.models import ExportStatus
from stock_saas.state.audit_export import ExportLine, ExportState
from stock_saas.state.audit_log import ACTIONS, REASONS, AuditState

__all__ = ["audit_page"]


def _filter(
    label: str, field_id: str, name: str, options: list[tuple[str, str]], value: rx.Var[str]
) -> rx.Component:
    return rx.hstack(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        native_select(
            field_id,
            *[rx.el.option(text, value=v) for v, text in options],
            name="",
            value=value,
            on_change=lambda v: AuditState.set_filter(name, v),
            width="auto",
        ),
        spacing="2",
        align="center",
    )


def _export(line: ExportLine) -> rx.Component:
    return rx.hstack(
        rx.text(line.created, size="2"),
        rx.match(
            line.status,
            (
                ExportStatus.DONE.value,
                rx.button(
                    rx.icon("file-down", size=14, aria_hidden="true"),
                    "Download (",
                    line.rows,
                    " rows)",
                    size="1",
                    on_click=ExportState.download(line.task_id),
                ),
            ),
            (ExportStatus.FAILED.value, rx.badge("failed: ", line.error, color_scheme="red")),
            (ExportStatus.EXPIRED.value, rx.badge("expired", color_scheme="gray")),
            rx.hstack(
                rx.progress(
                    value=line.progress, max=100, width="8em", aria_label="Export progress"
                ),
                rx.text(line.progress, "%", size="1"),
                align="center",
            ),
        ),
        align="center",
        spacing="3",
        class_name="export-row",
    )


def _exports() -> rx.Component:
    return rx.cond(
        ExportState.exports.length() > 0,
        rx.card(
            rx.vstack(
                rx.text("Recent exports", weight="medium", size="2"),
                rx.foreach(ExportState.exports, _export),
                spacing="2",
            ),
            width="100%",
        ),
    )


PERIOD_CHOICES = [
    ("all", "Any time"),
    ("24h", "Last 24 hours"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
]


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.heading("Audit log", size="5"),
        rx.spacer(),
        _filter(
            "Action",
            "audit-action",
            "action",
            [("all", "All actions"), *[(a, a) for a in ACTIONS]],
            AuditState.action,
        ),
        _filter(
            "Reason",
            "audit-reason",
            "reason",
            [("all", "Any reason"), *[(r, r) for r in REASONS]],
            AuditState.reason,
        ),
        rx.hstack(
            rx.el.label("Department", html_for="audit-department", class_name="field-label"),
            native_select(
                "audit-department",
                rx.el.option("All departments", value="all"),
                rx.foreach(
                    AuditState.departments, lambda d: rx.el.option(d["name"], value=d["id"])
                ),
                name="",
                value=AuditState.department_id,
                on_change=lambda v: AuditState.set_filter("department", v),
                width="auto",
            ),
            spacing="2",
            align="center",
        ),
        _filter("Period", "audit-period", "period", PERIOD_CHOICES, AuditState.period),
        rx.button(
            rx.icon("download", size=14, aria_hidden="true"),
            "Export CSV",
            variant="soft",
            on_click=ExportState.start_export,
            disabled=ExportState.active,
            id="export-csv",
            title="Department and period filters apply",
        ),
        spacing="3",
        wrap="wrap",
        align="center",
        width="100%",
    )


@admin_only
def audit_page() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        data_table(
            AuditState.entries,
            history_columns(show_item=True),
            table_id="audit-log",
            label="Audit log",
            state=AuditState,
            loading=AuditState.loading,
            empty=empty_state(
                "scroll-text",
                "No entries",
                "Stock changes appear here as they happen; try another action, department "
                "or period.",
            ),
            row_props=lambda e: {"class_name": "history-row"},
            noun="entries",
            focusable_rows=False,
        ),
        _exports(),
        width="100%",
        spacing="3",
    )
