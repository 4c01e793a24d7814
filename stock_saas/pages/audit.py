"""/audit: the tenant's audit log for admins, with the CSV export."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.history import history_table
from stock_saas.components.layout import app_shell, empty_state
from stock_saas.state.audit_export import ExportLine, ExportState
from stock_saas.state.audit_log import ACTIONS, AuditState

__all__ = ["audit_page"]


def _filter(name: str, options: list[tuple[str, str]], value: rx.Var[str]) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(),
        rx.select.content(*[rx.select.item(label, value=v) for v, label in options]),
        value=value,
        on_change=lambda v: AuditState.set_filter(name, v),
    )


def _export(line: ExportLine) -> rx.Component:
    return rx.hstack(
        rx.text(line.created, size="2"),
        rx.match(
            line.status,
            (
                "done",
                rx.button(
                    rx.icon("file-down", size=14),
                    line.rows,
                    " rows",
                    size="1",
                    on_click=ExportState.download(line.task_id),
                ),
            ),
            ("failed", rx.badge("failed: ", line.error, color_scheme="red")),
            ("expired", rx.badge("expired", color_scheme="gray")),
            rx.hstack(
                rx.progress(value=line.progress, max=100, width="8em"),
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


def audit_page() -> rx.Component:
    return app_shell(
        rx.cond(
            AuditState.is_admin,
            rx.vstack(
                rx.flex(
                    rx.heading("Audit log", size="5"),
                    rx.spacer(),
                    _filter(
                        "action",
                        [("all", "All actions"), *[(a, a) for a in ACTIONS]],
                        AuditState.action,
                    ),
                    rx.select.root(
                        rx.select.trigger(),
                        rx.select.content(
                            rx.select.item("All departments", value="all"),
                            rx.foreach(
                                AuditState.departments,
                                lambda d: rx.select.item(d["name"], value=d["id"]),
                            ),
                        ),
                        value=AuditState.department_id,
                        on_change=lambda v: AuditState.set_filter("department", v),
                    ),
                    _filter(
                        "period",
                        [
                            ("all", "Any time"),
                            ("24h", "Last 24 hours"),
                            ("7d", "Last 7 days"),
                            ("30d", "Last 30 days"),
                        ],
                        AuditState.period,
                    ),
                    rx.button(
                        rx.icon("download", size=14),
                        "Export CSV",
                        variant="soft",
                        on_click=ExportState.start_export,
                        disabled=ExportState.active,
                        id="export-csv",
                        title="Department and period filters apply",
                    ),
                    spacing="2",
                    wrap="wrap",
                    align="center",
                    width="100%",
                ),
                rx.cond(
                    AuditState.loading,
                    rx.skeleton(height="12em", width="100%"),
                    rx.cond(
                        AuditState.total == 0,
                        empty_state(
                            "scroll-text", "No entries", "Stock changes appear here as they happen."
                        ),
                        history_table(AuditState.entries, show_item=True),
                    ),
                ),
                _exports(),
                rx.hstack(
                    rx.text(AuditState.total, " entries", size="2", color_scheme="gray"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("chevron-left", size=14),
                        size="1",
                        variant="soft",
                        disabled=AuditState.page == 0,
                        on_click=AuditState.go_to_page(AuditState.page - 1),
                        aria_label="Newer entries",
                    ),
                    rx.text(AuditState.page + 1, " / ", AuditState.page_count, size="2"),
                    rx.icon_button(
                        rx.icon("chevron-right", size=14),
                        size="1",
                        variant="soft",
                        disabled=AuditState.page + 1 >= AuditState.page_count,
                        on_click=AuditState.go_to_page(AuditState.page + 1),
                        aria_label="Older entries",
                    ),
                    width="100%",
                    align="center",
                ),
                width="100%",
                spacing="3",
            ),
            empty_state("lock", "Admins only", "Ask an admin of your organisation for access."),
        )
    )
