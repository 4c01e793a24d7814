"""/import: upload a CSV, see its dry run (counts, changes old → new, row errors), import."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import problem_text
from stock_saas.components.guards import managers_only
from stock_saas.state.stock_import import UPLOAD_ID, ChangeLine, ErrorLine, ImportState

__all__ = ["import_page"]

_ACCEPT = {"text/csv": [".csv"], "text/plain": [".csv", ".txt"]}


def _change_columns() -> list[Column]:
    return [
        Column("Row", lambda c: c.row),
        Column("Item", lambda c: c.name, row_header=True),
        Column("Department", lambda c: c.department),
        Column("Change", lambda c: c.action),
        Column("Quantity", lambda c: c.quantity),
        Column("Threshold", lambda c: c.threshold),
    ]


def _error_columns() -> list[Column]:
    return [
        Column("Row", lambda e: e.row, row_header=True),
        Column("Column", lambda e: e.column),
        Column("Problem", lambda e: e.message),
    ]


def _change_props(change: ChangeLine) -> dict[str, object]:
    return {"class_name": "import-change", "data_item": change.name}


def _error_props(error: ErrorLine) -> dict[str, object]:
    return {"class_name": "import-error", "data_row": error.row}


def _with_input_id(upload: rx.Component, input_id: str) -> rx.Component:
    """``upload`` with ``input_id`` on its file input (the label's ``for`` and the tests'
    ``set_input_files`` find it); rx.upload builds the input itself."""
    stack = list(upload.children)
    while stack:
        child = stack.pop()
        if getattr(child, "tag", None) == "input":
            child.id = input_id
            return upload
        stack.extend(child.children)
    raise LookupError("rx.upload has no file input")


def _drop_zone() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            "CSV file", html_for="import-file", id="import-file-label", class_name="field-label"
        ),
        rx.el.div(
            _with_input_id(
                rx.upload(
                    rx.vstack(
                        rx.icon("upload", size=20, aria_hidden="true"),
                        rx.text("Drop a CSV file here, or"),
                        rx.button(
                            "Choose a CSV file",
                            type="button",
                            variant="soft",
                            id="import-choose",
                            aria_describedby="import-file-hint",
                            disabled=ImportState.busy,
                        ),
                        rx.text(
                            "Columns name, department, category, quantity, threshold, barcode "
                            "(any order); up to 100,000 rows or 20 MB.",
                            size="1",
                            id="import-file-hint",
                        ),
                        align="center",
                        spacing="1",
                    ),
                    id=UPLOAD_ID,
                    multiple=False,
                    max_files=1,
                    accept=_ACCEPT,
                    disabled=ImportState.busy,
                    on_drop=ImportState.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
                    no_keyboard=True,  # the button inside is the keyboard's way in
                    border="2px dashed var(--gray-a7)",
                    border_radius="8px",
                    padding="1.5em",
                    width="100%",
                    cursor="pointer",
                ),
                "import-file",
            ),
            role="group",
            aria_labelledby="import-file-label",
            width="100%",
        ),
        problem_text(ImportState.problem, "import-problem"),
        width="100%",
        spacing="1",
    )


def _busy() -> rx.Component:
    return rx.cond(
        ImportState.busy,
        rx.vstack(
            rx.hstack(
                rx.spinner(size="2"),
                rx.text(ImportState.busy_text, id="import-busy", role="status"),
                align="center",
            ),
            rx.progress(
                value=ImportState.progress, max=100, width="100%", aria_label="Import progress"
            ),
            width="100%",
        ),
    )


def _counts() -> rx.Component:
    return rx.hstack(
        rx.badge(
            "To create: ", ImportState.created, size="2", color_scheme="green", high_contrast=True
        ),
        rx.badge(
            "To update: ", ImportState.updated, size="2", color_scheme="amber", high_contrast=True
        ),
        rx.badge(
            "Unchanged: ", ImportState.unchanged, size="2", color_scheme="gray", high_contrast=True
        ),
        id="import-counts",
        spacing="2",
        wrap="wrap",
    )


def _preview() -> rx.Component:
    return rx.cond(
        ImportState.checked,
        rx.vstack(
            rx.heading(
                rx.cond(ImportState.applied, "Imported ", "Dry run of "),
                ImportState.file_name,
                size="4",
            ),
            _counts(),
            rx.cond(
                ImportState.errors.length() > 0,
                rx.vstack(
                    rx.heading("Row errors", size="3", id="import-errors-heading"),
                    rx.text(
                        ImportState.errors.length(),
                        " row errors: nothing can be imported until the file is fixed.",
                        role="status",
                        size="2",
                        id="import-errors-summary",
                    ),
                    data_table(
                        ImportState.errors,
                        _error_columns(),
                        table_id="import-errors",
                        label="Row errors",
                        row_props=_error_props,
                        focusable_rows=False,
                    ),
                    width="100%",
                ),
            ),
            rx.heading("Changes", size="3"),
            data_table(
                ImportState.changes,
                _change_columns(),
                table_id="import-changes",
                label="Changes the import makes (old → new)",
                row_props=_change_props,
                focusable_rows=False,
                empty=rx.text("Nothing to create or change.", id="import-no-changes"),
            ),
            rx.hstack(
                rx.button(
                    rx.icon("file-check", size=14, aria_hidden="true"),
                    "Import",
                    id="import-confirm",
                    disabled=~ImportState.can_import,
                    loading=ImportState.busy,
                    on_click=ImportState.confirm,
                ),
                align="center",
            ),
            rx.cond(
                ImportState.result != "",
                rx.callout(
                    ImportState.result, icon="circle-check", id="import-result", role="status"
                ),
            ),
            spacing="3",
            width="100%",
        ),
    )


@managers_only
def import_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Import stock", size="5"),
        rx.text(
            "A dry run shows what the file would change; nothing is written until you press "
            "Import, and then all of it or nothing.",
            size="2",
        ),
        _drop_zone(),
        _busy(),
        _preview(),
        spacing="3",
        width="100%",
        max_width="60em",
    )
