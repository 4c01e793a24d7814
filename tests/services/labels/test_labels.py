"""Printed labels, read back with a scanner's eyes (pdftoppm + zbarimg): every symbol is the
item's barcode, generated barcodes are unique per tenant and kept, layouts and skip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import event

from stock_saas import db
from stock_saas.errors import Conflict, Forbidden, NotFound, ValidationFailed
from stock_saas.services import catalog, labels, stock
from stock_saas.services.core import Context
from stock_saas.services.labels import LabelKind, LabelLayout, LabelRequest
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)
from tests.support.decoding import decode_image, needs_decoders, page_size_points, render_pages

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _print(ctx: Context, **request: object) -> tuple[bytes, labels.LabelRun]:
    out = io.BytesIO()
    run = labels.print_labels(ctx=ctx, request=LabelRequest(**request), out=out)  # type: ignore[arg-type]
    return out.getvalue(), run


def _stock(manager: Context) -> None:
    stock.add_stock(ctx=manager, name="Gloves", quantity=5, department="Lab", barcode="4006381")
    for name in ("Gauze", "Masks", "Syringes 5 ml \u2013 Luer-Lock, sterile, single use"):
        stock.add_stock(ctx=manager, name=name, quantity=5, threshold=9, department="Lab")


def _barcodes(ctx: Context) -> dict[str, str | None]:
    return {row.name: row.barcode for row in stock.list_stock(ctx=ctx).items}


@needs_decoders
def test_every_symbol_is_the_items_barcode_and_finds_the_item(manager_a: Context, tmp_path: Path):
    _stock(manager_a)
    pdf, run = _print(manager_a, department="Lab")
    codes = _barcodes(manager_a)
    assert run.generated == ["SS-000001", "SS-000002", "SS-000003"]
    assert sorted(codes.values()) == ["4006381", *run.generated]  # type: ignore[type-var]
    [page] = render_pages(pdf, tmp_path)
    decoded = decode_image(page)
    assert decoded == sorted(2 * list(codes.values()))  # type: ignore[arg-type]  # QR + Code 128
    for code in set(decoded):
        assert codes[catalog.lookup_barcode(ctx=manager_a, barcode=code).name] == code


def test_generated_barcodes_are_kept_unique_per_tenant_and_skip_taken_codes(
    manager_a: Context, manager_b: Context
):
    stock.add_stock(ctx=manager_a, name="Gauze", quantity=1)
    stock.add_stock(ctx=manager_a, name="Masks", quantity=1, barcode="SS-000001")
    stock.add_stock(ctx=manager_a, name="Tape", quantity=1)
    stock.add_stock(ctx=manager_b, name="Gauze", quantity=1)
    _, first = _print(manager_a)
    assert first.generated == ["SS-000002", "SS-000003"]  # SS-000001 was taken by hand
    _, again = _print(manager_a)
    assert again.generated == []
    assert _barcodes(manager_a) == {"Gauze": "SS-000002", "Masks": "SS-000001", "Tape": "SS-000003"}
    stock.add_stock(ctx=manager_a, name="Wipes", quantity=1)
    assert _print(manager_a, items=("Wipes",))[1].generated == ["SS-000004"]
    # Another tenant numbers its own items; codes are unique within each tenant.
    assert _print(manager_b)[1].generated == ["SS-000001"]


@needs_decoders
def test_a_3x8_sheet_with_skip_5_starts_in_position_6(manager_a: Context, tmp_path: Path):
    _stock(manager_a)
    pdf, run = _print(manager_a, department="Lab", skip=5, layout=LabelLayout.A4_3X8)
    [page] = render_pages(pdf, tmp_path)
    sheet = labels.sheet_of(LabelLayout.A4_3X8)
    first = _barcodes(manager_a)["Gauze"]  # first in name order
    found = []
    for position in range(6):
        x, y = sheet.origin(position)
        top = sheet.page[1] - y - sheet.label[1]
        found.append(decode_image(page, (x, top, x + sheet.label[0], top + sheet.label[1])))
    assert found == [[], [], [], [], [], [first, first]]
    assert (run.labels, run.pages) == (4, 1)


@needs_decoders
def test_letter_sheets_and_label_printer_pages(manager_a: Context, tmp_path: Path):
    _stock(manager_a)
    letter, _ = _print(manager_a, layout=LabelLayout.LETTER_3X10)
    [page] = render_pages(letter, tmp_path / "letter")
    assert len(decode_image(page)) == 8
    assert page_size_points(letter, tmp_path) == (612.0, 792.0)
    roll, run = _print(manager_a, layout=LabelLayout.ROLL_62X29, items=("Gloves", "Masks"))
    assert run.pages == 2
    width, height = page_size_points(roll, tmp_path)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (62, 29)
    pages = render_pages(roll, tmp_path / "roll")
    masks = _barcodes(manager_a)["Masks"]
    assert [decode_image(p) for p in pages] == [["4006381", "4006381"], [masks, masks]]


@needs_decoders
def test_department_labels_carry_a_code_that_names_the_department(
    manager_a: Context, tmp_path: Path
):
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    pdf, run = _print(manager_a, kind=LabelKind.DEPARTMENTS, department=lab.id)
    [page] = render_pages(pdf, tmp_path)
    [code, same] = decode_image(page)
    assert (code, labels.department_id_of(code), run.labels) == (same, lab.id, 1)


def test_bad_requests_are_refused_and_generate_nothing(
    manager_a: Context, user_a: Context, manager_b: Context
):
    _stock(manager_a)
    lab = next(d.id for d in catalog.list_departments(ctx=manager_a) if d.name == "Lab")
    gauze = next(r.item_id for r in stock.list_stock(ctx=manager_a).items if r.name == "Gauze")
    for request, error in (
        ({"skip": 24}, Conflict),  # an A4 sheet has positions 0..23
        ({"skip": 1, "layout": LabelLayout.ROLL_62X29}, Conflict),
        ({"layout": "a5"}, ValidationFailed),
        ({"low": True, "items": ("Gloves",)}, NotFound),  # nothing to print
        ({"items": ("Nope",)}, NotFound),
    ):
        with pytest.raises(error):
            _print(manager_a, **request)
    with pytest.raises(Forbidden):
        _print(user_a)
    for request in ({"items": (gauze,)}, {"department": lab}):
        with pytest.raises(NotFound):
            _print(manager_b, **request)
    assert _barcodes(manager_a)["Gauze"] is None


def test_an_item_named_many_times_is_looked_up_and_printed_once(manager_a: Context):
    """1,000 repeats of one id (the API allows 1,000 ``item_id``) print that item's labels
    once, after one lookup: schemathesis's request of that shape once took over 10 s."""
    _stock(manager_a)
    gloves = catalog.lookup_barcode(ctx=manager_a, barcode="4006381")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        _, once = _print(manager_a, items=(gloves.id,))
        issued_once, statements[:] = len(statements), []
        _, repeated = _print(manager_a, items=(gloves.id,) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert once.labels == repeated.labels == 1
    assert len(statements) == issued_once
