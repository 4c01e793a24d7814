"""The one table component: columns with sortable headers, rows, empty and loading states,
row actions, keyboard-focusable rows and a pager (after the Reflex ``admin_dashboard`` /
``table_dashboard`` templates' ``data_table``).

    data_table(
        State.rows,
        [Column("Item", lambda r: r.name, sort_key="name", row_header=True), ...],
        table_id="stock-table",
        label="Stock levels",
        state=State,                  # a state.paging.PagedState: sort + pager
        loading=State.loading,
        empty=empty_state(...),
        row_actions=lambda r: ...,    # last column, headed "Actions" for screen readers
        row_props=lambda r: {"class_name": "stock-row", "data_item": r.name},
    )

Rows are focusable (Tab); on a focused row Enter clicks its ``.row-primary`` control (give
that class to the row's main link or button) and the arrow keys move between rows, all in
the browser. Without ``state`` the table is not paged (short lists).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

__all__ = ["Column", "data_table", "pager", "visually_hidden"]

WIDE_ONLY = ["none", "none", "table-cell"]
# Client-side keys on a focused row: no round trip for keys the row does not handle.
ROW_KEYS: rx.Var[Any] = rx.Var(
    "((e) => { if (e.target !== e.currentTarget) return;"
    " const row = e.currentTarget;"
    " if (e.key === 'Enter') { const p = row.querySelector('.row-primary');"
    " if (p) { e.preventDefault(); p.click(); } }"
    " else if (e.key === 'ArrowDown' && row.nextElementSibling) {"
    " e.preventDefault(); row.nextElementSibling.focus(); }"
    " else if (e.key === 'ArrowUp' && row.previousElementSibling) {"
    " e.preventDefault(); row.previousElementSibling.focus(); } })"
)


@dataclasses.dataclass(frozen=True)
class Column:
    """One column: its header, how a row renders in it, and how it behaves."""

    header: str
    cell: Callable[[Any], Any]
    sort_key: str = ""  # sortable by this key (the state's SORTS must list it)
    row_header: bool = False  # the row's name: <th scope="row">
    wide_only: bool = False  # hidden on phones and small tablets
    cell_props: dict[str, Any] = dataclasses.field(default_factory=dict)


def visually_hidden(text: str | rx.Var[str]) -> rx.Component:
    """Text for screen readers only."""
    return rx.el.span(text, class_name="sr-only")


def _sort_header(column: Column, state: Any) -> rx.Component:
    active = state.sort == column.sort_key
    arrow = rx.cond(
        active,
        rx.cond(
            state.descending,
            rx.icon("arrow-down", size=12, aria_hidden="true"),
            rx.icon("arrow-up", size=12, aria_hidden="true"),
        ),
        rx.icon("arrow-up-down", size=12, opacity="0.45", aria_hidden="true"),
    )
    return rx.table.column_header_cell(
        rx.button(
            column.header,
            arrow,
            type="button",
            variant="ghost",
            size="1",
            color_scheme="gray",
            high_contrast=True,
            on_click=state.sort_by(column.sort_key),
            class_name="sort-button",
        ),
        aria_sort=rx.cond(active, rx.cond(state.descending, "descending", "ascending"), "none"),
        scope="col",
        **({"display": WIDE_ONLY} if column.wide_only else {}),
    )


def _header(column: Column, state: Any) -> rx.Component:
    if column.sort_key and state is not None:
        return _sort_header(column, state)
    return rx.table.column_header_cell(
        column.header, scope="col", **({"display": WIDE_ONLY} if column.wide_only else {})
    )


# Body rows and cells are plain elements with the classes Radix Themes gives its own
# (``rx.table.row`` / ``cell`` / ``row_header_cell`` render exactly this markup): a page of
# rows then costs React one element per cell instead of Radix's layers per cell (props
# extraction, forwardRef, Slot). Wide-only cells hide by a class (``assets/stock_saas.css``)
# rather than a generated media-query style per cell.
ROW_CLASS = "rt-TableRow"
CELL_CLASS = "rt-TableCell"
ROW_HEADER_CLASS = "rt-TableCell rt-TableRowHeaderCell"


def _classes(*names: str | rx.Var[str]) -> str | rx.Var[str]:
    """Class names joined by spaces; a Var among them (a class a row's data decides) makes
    the whole a Var."""
    present = [n for n in names if isinstance(n, rx.Var) or n]
    if all(isinstance(n, str) for n in present):
        return " ".join(present)  # type: ignore[arg-type]
    joined: rx.Var[str] = rx.Var.create(present[0])
    for name in present[1:]:
        joined = joined + " " + name  # type: ignore[operator]
    return joined


def body_cell(content: Any, *, class_name: str = "", **props: Any) -> rx.Component:
    """A ``<td>`` as ``rx.table.cell`` draws it."""
    return rx.el.td(content, class_name=_classes(CELL_CLASS, class_name), **props)


def _cell(column: Column, row: Any) -> rx.Component:
    props = dict(column.cell_props)
    wide = "wide-only" if column.wide_only else ""
    content = column.cell(row)
    if column.row_header:
        return rx.el.th(content, scope="row", class_name=_classes(ROW_HEADER_CLASS, wide), **props)
    return body_cell(content, class_name=wide, **props)


def pager(state: Any, table_id: str, noun: str = "rows") -> rx.Component:
    """Range, rows-per-page, previous/next and "page X of Y" of a ``PagedState``."""
    size_id = f"{table_id}-page-size"
    return rx.flex(
        rx.text(state.range_text, " ", noun, size="2", id=f"{table_id}-range", role="status"),
        rx.spacer(),
        rx.el.label("Rows per page", html_for=size_id, class_name="pager-label"),
        rx.el.select(
            *[rx.el.option(str(size), value=str(size)) for size in state.PAGE_SIZES],
            id=size_id,
            value=state.page_size.to_string(),
            on_change=state.set_page_size,
            class_name="rt-reset rt-SelectTrigger rt-r-size-1 rt-variant-surface",
        ),
        rx.icon_button(
            rx.icon("chevron-left", size=14, aria_hidden="true"),
            size="1",
            variant="soft",
            disabled=~state.has_previous,
            on_click=state.previous_page,
            aria_label="Previous page",
            id=f"{table_id}-previous",
        ),
        rx.text("Page ", state.page + 1, " of ", state.page_count, size="2"),
        rx.icon_button(
            rx.icon("chevron-right", size=14, aria_hidden="true"),
            size="1",
            variant="soft",
            disabled=~state.has_next,
            on_click=state.next_page,
            aria_label="Next page",
            id=f"{table_id}-next",
        ),
        spacing="2",
        align="center",
        wrap="wrap",
        width="100%",
        padding_top="0.5em",
        class_name="pager",
    )


def _loading_rows() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height="2.2em", width="100%") for _ in range(5)],
        width="100%",
        aria_busy="true",
        aria_label="Loading",
        role="status",
    )


def data_table(
    rows: rx.Var[list[Any]],
    columns: Sequence[Column],
    *,
    table_id: str,
    label: str | rx.Var[str],
    state: Any = None,
    loading: rx.Var[bool] | bool = False,
    empty: rx.Component | None = None,
    row_actions: Callable[[Any], rx.Component] | None = None,
    row_props: Callable[[Any], dict[str, Any]] | None = None,
    noun: str = "rows",
    focusable_rows: bool = True,
) -> rx.Component:
    """A table of ``rows`` (see the module docstring); ``state`` adds sorting and a pager."""
    headers = [_header(c, state) for c in columns]
    if row_actions is not None:
        headers.append(rx.table.column_header_cell(visually_hidden("Actions"), scope="col"))

    def render_row(row: Any) -> rx.Component:
        cells = [_cell(c, row) for c in columns]
        if row_actions is not None:
            cells.append(body_cell(row_actions(row), class_name="row-actions"))
        props = dict(row_props(row)) if row_props is not None else {}
        if focusable_rows:
            props["tab_index"] = 0
            props.setdefault("custom_attrs", {})["onKeyDown"] = ROW_KEYS
            props["class_name"] = _classes(props.get("class_name", ""), "focusable-row")
        props["class_name"] = _classes(ROW_CLASS, props.get("class_name", ""))
        return rx.el.tr(*cells, **props)

    table = rx.scroll_area(
        rx.table.root(
            rx.table.header(rx.table.row(*headers)),
            rx.table.body(rx.foreach(rows, render_row)),
            variant="surface",
            size="1",
            width="100%",
            id=table_id,
            aria_label=label,
        ),
        type="auto",
        scrollbars="horizontal",
    )
    body = rx.vstack(
        table,
        pager(state, table_id, noun) if state is not None else rx.fragment(),
        width="100%",
        spacing="1",
    )
    if empty is not None:
        body = rx.cond(rows.length() == 0, empty, body)
    if isinstance(loading, rx.Var):
        return rx.cond(loading, _loading_rows(), body)
    return _loading_rows() if loading else body
