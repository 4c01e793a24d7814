"""The CSV import: dry run, matching, upsert, all-or-nothing, idempotence, tenants."""

from __future__ import annotations

import pytest

from stock_saas.config import REPO_ROOT
from stock_saas.errors import Forbidden, TooLarge
from stock_saas.models import MovementAction, Tenant
from stock_saas.services import catalog, imports, stock
from stock_saas.services.core import Context, Role
from tests.conftest import ContextFactory
from tests.services.imports.helpers import audit_rows, books_balance, csv_bytes, exported

HEADER = "name,department,category,quantity,threshold,barcode"


def _import(ctx: Context, data: bytes, dry_run: bool = False) -> imports.ImportResult:
    return imports.import_stock(ctx=ctx, data=data, dry_run=dry_run)


def test_import_creates_items_departments_categories_and_audits_each_level(manager_a: Context):
    data = csv_bytes(HEADER, "Gloves,Lab,PPE,40,10,4006381", "Masks,,PPE,5,,")
    result = _import(manager_a, data)
    assert (result.applied, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
    assert (result.new_items, result.new_departments, result.new_categories) == (2, 1, 1)
    rows = stock.list_stock(ctx=manager_a).items
    seen = {(r.name, r.department, r.category, r.quantity, r.threshold, r.barcode) for r in rows}
    assert seen == {
        ("Gloves", "Lab", "PPE", 40, 10, "4006381"),
        ("Masks", "General", "PPE", 5, 0, None),
    }
    audit = audit_rows(manager_a)
    assert [(a.action, a.delta) for a in audit] == [("import", 40), ("import", 5)]
    assert books_balance(manager_a)


def test_dry_run_reports_counts_and_changes_and_writes_nothing(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=2)
    before = exported(manager_a)
    data = csv_bytes(HEADER, "gloves,,,12,,", "Masks,,,3,,", "Tape,Lab,,0,,")
    result = _import(manager_a, data, dry_run=True)
    assert (result.dry_run, result.applied) == (True, False)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    update = next(c for c in result.changes if c.action == "update")
    assert (update.name, update.old_quantity, update.new_quantity) == ("Gloves", 10, 12)
    assert exported(manager_a) == before
    assert len(audit_rows(manager_a)) == 1


def test_export_then_import_changes_nothing(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="=SUM(A1)", quantity=3, category="-Risky", barcode="+49")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=7, threshold=9, department="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1)
    text = exported(manager_a)
    assert "'=SUM(A1)" in text
    audit_before = len(audit_rows(manager_a))
    result = _import(manager_a, text.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert result.errors == []
    assert exported(manager_a) == text
    assert len(audit_rows(manager_a)) == audit_before


def test_reimporting_the_same_file_is_a_no_op(manager_a: Context):
    data = csv_bytes(HEADER, "Gloves,Lab,PPE,40,10,4006381", "Masks,,PPE,5,,")
    _import(manager_a, data)
    snapshot, audit = exported(manager_a), len(audit_rows(manager_a))
    again = _import(manager_a, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert exported(manager_a) == snapshot
    assert len(audit_rows(manager_a)) == audit
    assert len(stock.list_stock(ctx=manager_a).items) == 2


def test_quantity_is_the_quantity_on_hand_and_writes_one_audit_row_of_the_difference(
    manager_a: Context,
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    _import(manager_a, csv_bytes("name,quantity", "Gloves,4"))
    [level] = stock.list_stock(ctx=manager_a).items
    assert level.quantity == 4
    last = audit_rows(manager_a)[-1]
    assert (last.action, last.delta, last.quantity_after) == (MovementAction.IMPORT, -6, 4)


def test_matching_by_barcode_first_then_by_trimmed_case_insensitive_name(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Nitrile Gloves", quantity=1, barcode="111")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=1)
    data = csv_bytes("barcode,name,quantity", "111,Gloves (nitrile),5", ",  MASKS  ,6")
    result = _import(manager_a, data)
    assert result.new_items == 0 and result.errors == []
    levels = stock.list_stock(ctx=manager_a).items
    rows = {r.barcode or r.name: (r.name, r.quantity) for r in levels}
    assert rows == {"111": ("Gloves (nitrile)", 5), "Masks": ("Masks", 6)}


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("Gloves,,,ten,,", "quantity", "not a whole number"),
        ("Gloves,,,-3,,", "quantity", "must not be negative"),
        ("Gloves,,,,1.5,", "threshold", "not a whole number"),
        ("," + ",,1,,", "name", "must not be empty"),
        ("G" * 121 + ",,,1,,", "name", "longer than 120"),
        ("Gloves,,,1,,222", "barcode", "already has barcode"),
        ("Masks,,,1,,111", "barcode", "already on another item"),
        ("Gloves,,,1,,,extra", "", "cells"),
    ],
)
def test_each_row_error_names_its_row_and_column_and_nothing_is_written(
    manager_a: Context, line: str, column: str, words: str
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, barcode="111")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=1)
    before = exported(manager_a)
    result = _import(manager_a, csv_bytes(HEADER, "Tape,,,4,,", line))
    assert not result.applied
    [error] = result.errors
    assert (error.row, error.column) == (3, column)
    assert words in error.message
    assert exported(manager_a) == before


def test_duplicate_row_for_the_same_item_and_department_is_an_error(manager_a: Context):
    result = _import(manager_a, csv_bytes(HEADER, "Gloves,Lab,,1,,", "gloves ,lab,,2,,"))
    [error] = result.errors
    assert (error.row, error.column) == (3, "name") and "row 2" in error.message
    assert stock.list_stock(ctx=manager_a).items == []


def test_unknown_and_missing_columns_are_refused_by_name(manager_a: Context):
    result = _import(manager_a, csv_bytes("qty,department,price", "Gloves,Lab,3"))
    assert {(e.row, e.column) for e in result.errors} == {(1, "qty"), (1, "price"), (1, "name")}


def test_one_bad_row_among_a_thousand_writes_nothing(manager_a: Context):
    lines = [f"Item {n},,,{n},," for n in range(1000)]
    lines[637] = "Item 637,,,lots,,"
    result = _import(manager_a, csv_bytes(HEADER, *lines))
    assert [(e.row, e.column) for e in result.errors] == [(639, "quantity")]
    assert result.created == 999
    assert stock.list_stock(ctx=manager_a).items == []
    assert audit_rows(manager_a) == []


@pytest.mark.parametrize(
    "data",
    [
        '\ufeffname;department;quantity\r\nGloves;Lab;5\r\n"Tape\nwide";Lab;2\r\n'.encode(),
        b'name,quantity,department\r\n"Gloves",5,Lab\r\n"Tape\r\nwide",2,"Lab"\r\n',
    ],
    ids=["bom-semicolon-crlf", "quoted-newline"],
)
def test_files_people_really_have(manager_a: Context, data: bytes):
    result = _import(manager_a, data)
    assert result.errors == [] and result.created == 2
    names = {r.name for r in stock.list_stock(ctx=manager_a).items}
    assert names == {"Gloves", "Tape wide"}


def test_a_file_over_the_row_limit_is_refused_and_writes_nothing(manager_a: Context):
    data = ("name\n" + "".join(f"i{n}\n" for n in range(imports.MAX_ROWS + 1))).encode()
    with pytest.raises(TooLarge):
        _import(manager_a, data)
    assert stock.list_stock(ctx=manager_a).items == []


def test_a_user_cannot_import(make_ctx: ContextFactory, tenant_a: Tenant):
    with pytest.raises(Forbidden):
        _import(make_ctx(tenant_a, Role.USER), csv_bytes("name", "Gloves"))


def test_an_import_never_touches_another_tenants_items(
    manager_a: Context, make_ctx: ContextFactory, tenant_b: Tenant
):
    manager_b = make_ctx(tenant_b, Role.MANAGER)
    stock.add_stock(ctx=manager_b, name="Gloves", quantity=9, barcode="111")
    result = _import(manager_a, csv_bytes(HEADER, "Gloves,,,1,,111"))
    assert result.errors == [] and result.new_items == 1
    [theirs] = stock.list_stock(ctx=manager_b).items
    assert (theirs.quantity, theirs.barcode) == (9, "111")
    assert len(audit_rows(manager_b)) == 1
    assert [d.name for d in catalog.list_departments(ctx=manager_b)] == ["General"]


def test_the_example_file_in_docs_imports_cleanly(manager_a: Context):
    data = (REPO_ROOT / "docs" / "import-example.csv").read_bytes()
    result = _import(manager_a, data)
    assert result.errors == [] and result.created == 5
    assert _import(manager_a, exported(manager_a).encode()).unchanged == 5
