"""Printing labels: choose what to label, give barcodes to items that have none, and write
the PDF, page by page, to a binary file the caller streams.

Item labels are one per stock level (the item in a department), in department then name
order: of the levels in a department, the low ones, the items named, or the levels picked
(dashboard rows); an item named but not stocked where asked still gets its label (a new
bin). Department labels carry a code the dashboard's scanner opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func
from sqlmodel import Session, col

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound, ValidationFailed
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.services.catalog import DepartmentRef, resolve_department, resolve_item
from stock_saas.services.core import (
    Context,
    Role,
    View,
    get_scoped,
    require_role,
    scoped_columns,
    scoped_rows,
)
from stock_saas.services.labels.barcodes import assign_barcodes, department_code
from stock_saas.services.labels.drawing import Label, draw_label
from stock_saas.services.labels.layouts import LabelLayout, sheet_of
from stock_saas.services.labels.typesetting import font_name

__all__ = ["MAX_LABELS", "LabelKind", "LabelRequest", "LabelRun", "print_labels"]

MAX_LABELS = 10_000
Progress = Callable[[int, int], None]


class LabelKind(StrEnum):
    ITEMS = "items"
    DEPARTMENTS = "departments"


@dataclass(frozen=True, slots=True)
class LabelRequest:
    """Which labels, on what stock. Without items, levels or a department: every stock level
    of the tenant (or every department)."""

    kind: LabelKind = LabelKind.ITEMS
    items: tuple[int | str, ...] = ()  # ids or names
    stock_level_ids: tuple[int, ...] = ()
    department: DepartmentRef = None
    low: bool = False
    layout: LabelLayout = LabelLayout.A4_3X8
    skip: int = 0


class LabelRun(View):
    labels: int
    pages: int
    layout: LabelLayout
    generated: list[str]  # barcodes given to items by this run


def print_labels(
    *, ctx: Context, request: LabelRequest, out: BinaryIO, progress: Progress | None = None
) -> LabelRun:
    """Write the requested labels as a PDF to ``out`` (manager: items without a barcode are
    given one). ``progress(done, total)`` after every page."""
    require_role(ctx, Role.MANAGER)
    try:
        layout = LabelLayout(request.layout)
    except ValueError:
        choices = ", ".join(layout.value for layout in LabelLayout)
        raise ValidationFailed(f"Layout must be one of {choices}.") from None
    sheet = sheet_of(layout)
    if not 0 <= request.skip < sheet.per_page:
        raise Conflict(  # skip against the layout's page: two fields, 409
            f"skip must be between 0 and {sheet.per_page - 1} for {layout.value} "
            f"({sheet.per_page} labels a page)."
        )
    labels, generated = _labels(ctx, request)
    if not labels:
        raise NotFound("Nothing to print: no labels match that choice.")
    font = font_name()
    canvas = Canvas(out, pagesize=sheet.page, pageCompression=1)
    canvas.setTitle("Stock-SaaS labels")
    canvas.setCreator("Stock-SaaS")
    position, pages = request.skip, 1
    for done, label in enumerate(labels, start=1):
        if position == sheet.per_page:
            canvas.showPage()
            position, pages = 0, pages + 1
            if progress is not None:
                progress(done - 1, len(labels))
        draw_label(canvas, label, sheet.origin(position), sheet.label, font)
        position += 1
    canvas.showPage()
    canvas.save()
    if progress is not None:
        progress(len(labels), len(labels))
    return LabelRun(labels=len(labels), pages=pages, layout=layout, generated=generated)


def _labels(ctx: Context, request: LabelRequest) -> tuple[list[Label], list[str]]:
    if request.kind == LabelKind.DEPARTMENTS:
        return _department_labels(ctx, request.department), []
    with read_session() as session:
        rows = _item_rows(session, ctx, request)
    missing = sorted({row["item_id"] for row in rows if not row["barcode"]})
    generated: list[str] = []
    if missing:
        with write_session() as session:
            codes = assign_barcodes(session, ctx, missing)
        generated = sorted(codes[item] for item in missing if item in codes)
        rows = [{**row, "barcode": row["barcode"] or codes.get(row["item_id"])} for row in rows]
    labels = []
    for row in rows:
        detail = " \u00b7 ".join(part for part in (row["department"], row["category"]) if part)
        labels.append(Label(code=row["barcode"], title=row["name"], detail=detail))
    return labels, generated


def _department_labels(ctx: Context, department: DepartmentRef) -> list[Label]:
    with read_session() as session:
        if department is not None:
            found = [resolve_department(session, ctx, department)]
        else:
            found = list(
                session.execute(
                    scoped_rows(ctx, Department).order_by(col(Department.name))
                ).scalars()
            )
    return [
        Label(code=department_code(int(d.id or 0)), title=d.name, detail="Department")
        for d in found
    ]


def _item_rows(session: Session, ctx: Context, request: LabelRequest) -> list[dict[str, Any]]:
    department = (
        None if request.department is None else resolve_department(session, ctx, request.department)
    )
    # Each named item once (a repeated id is not a second copy): one lookup per distinct one.
    items = [resolve_item(session, ctx, ref) for ref in dict.fromkeys(request.items)]
    conditions: list[Any] = []
    if department is not None:
        conditions.append(col(StockLevel.department_id) == department.id)
    if items:
        conditions.append(col(StockLevel.item_id).in_([i.id for i in items]))
    if request.stock_level_ids:
        conditions.append(col(StockLevel.id).in_(request.stock_level_ids))
    if request.low:
        conditions.append(col(StockLevel.quantity) < col(StockLevel.threshold))
    total = session.execute(
        scoped_columns(ctx, StockLevel, func.count()).select_from(StockLevel).where(*conditions)
    ).scalar_one()
    if total + len(items) > MAX_LABELS:
        raise Conflict(
            f"That is {total} labels; at most {MAX_LABELS} per PDF. Choose a department."
        )
    found = session.execute(
        scoped_columns(
            ctx,
            StockLevel,
            col(Item.id),
            col(Item.name),
            col(Item.barcode),
            col(Department.name),
            col(Category.name),
        )
        .select_from(StockLevel)
        .join(Item, col(Item.id) == col(StockLevel.item_id))
        .join(Department, col(Department.id) == col(StockLevel.department_id))
        .outerjoin(Category, col(Category.id) == col(Item.category_id))
        .where(*conditions)
        .order_by(col(Department.name), col(Item.name), col(StockLevel.id))
    ).all()
    rows = [
        {"item_id": r[0], "name": r[1], "barcode": r[2], "department": r[3], "category": r[4]}
        for r in found
    ]
    if items and not request.low and not request.stock_level_ids:
        rows.extend(_unstocked(session, ctx, items, rows, department))
    return rows


def _unstocked(
    session: Session,
    ctx: Context,
    items: list[Item],
    rows: list[dict[str, Any]],
    department: Department | None,
) -> list[dict[str, Any]]:
    """Labels for named items with no stock level where asked (a bin about to be filled)."""
    labelled = {row["item_id"] for row in rows}
    extra = []
    for item in items:
        if item.id in labelled:
            continue
        category = None
        if item.category_id is not None:
            category = get_scoped(session, ctx, Category, item.category_id)
        extra.append(
            {
                "item_id": item.id,
                "name": item.name,
                "barcode": item.barcode,
                "department": department.name if department else "",
                "category": category.name if category else None,
            }
        )
        labelled.add(item.id)
    return extra
