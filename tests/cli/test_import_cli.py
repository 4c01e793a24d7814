"""``inventory.py export-stock`` and ``import``: round trip, dry run, errors exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from stock_saas import cli
from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)
from tests.services.imports.helpers import audit_rows

TENANT = ["--tenant", "Acme Hospital"]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_export_stock_then_import_it_changes_nothing(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=8, department="Lab")
    stock.add_stock(ctx=manager_a, name="@Tape", quantity=2)
    out = tmp_path / "stock.csv"
    assert cli.main(["export-stock", "--output", str(out), *TENANT]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "name,department,category,quantity,threshold,barcode"
    assert "'@Tape,General,,2,0," in text
    audit = len(audit_rows(manager_a))
    capsys.readouterr()
    assert cli.main(["import", str(out), *TENANT]) == 0
    assert "created 0, updated 0, unchanged 2" in capsys.readouterr().out
    assert len(audit_rows(manager_a)) == audit


def test_export_stock_of_one_department_to_stdout(
    manager_a: Context, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, department="Lab")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=3)
    assert cli.main(["export-stock", "--department", "Lab", *TENANT]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["Gloves,Lab,,10,0,"]


def test_import_dry_run_then_apply(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    path = tmp_path / "in.csv"
    path.write_text("name,quantity\nGloves,12\nMasks,3\n", encoding="utf-8")
    assert cli.main(["import", str(path), "--dry-run", *TENANT]) == 0
    assert "would create 1, would update 1, unchanged 0" in capsys.readouterr().out
    assert [r.quantity for r in stock.list_stock(ctx=manager_a).items] == [10]
    assert cli.main(["import", str(path), *TENANT]) == 0
    assert "created 1, updated 1" in capsys.readouterr().out
    assert {r.name: r.quantity for r in stock.list_stock(ctx=manager_a).items} == {
        "Gloves": 12,
        "Masks": 3,
    }


def test_import_with_a_bad_row_prints_it_exits_1_and_writes_nothing(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "in.csv"
    path.write_text("name,quantity\nGloves,12\nMasks,-3\n", encoding="utf-8")
    assert cli.main(["import", str(path), *TENANT]) == 1
    err = capsys.readouterr().err
    assert "row 3, column quantity: Quantity must not be negative (got -3)." in err
    assert "error: 1 rows have errors; nothing was written." in err
    assert stock.list_stock(ctx=manager_a).items == []


def test_import_of_a_missing_file_is_one_line_and_exit_1(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert cli.main(["import", str(tmp_path / "nope.csv"), *TENANT]) == 1
    assert capsys.readouterr().err.startswith("error: Cannot read")
