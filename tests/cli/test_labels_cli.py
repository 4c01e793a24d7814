"""``inventory.py labels``: a PDF file (never half-written), its barcodes, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from stock_saas import cli
from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)
from tests.support.decoding import decode_image, needs_decoders, render_pages

TENANT = ["--tenant", "Acme Hospital"]


@needs_decoders
@pytest.mark.usefixtures("cheap_hashing")
def test_labels_writes_the_pdf_and_reports_new_barcodes(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5, department="Lab")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=5, department="Ward")
    target = tmp_path / "lab.pdf"
    args = ["labels", "--department", "Lab", "--skip", "2", "--out", str(target), *TENANT]
    assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert f"Wrote 1 labels on 1 page to {target}." in err
    assert "Gave 1 items a barcode: SS-000001" in err
    assert decode_image(render_pages(target.read_bytes(), tmp_path / "pages")[0]) == [
        "SS-000001",
        "SS-000001",
    ]
    assert stock.list_stock(ctx=manager_a, q="Gloves").items[0].barcode == "SS-000001"


@pytest.mark.usefixtures("cheap_hashing")
def test_nothing_to_print_exits_1_and_leaves_no_file(
    manager_a: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    target = tmp_path / "low.pdf"
    assert cli.main(["labels", "--low", "--output", str(target), *TENANT]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: Nothing to print: no labels match that choice."
    ]
    assert list(tmp_path.glob("*.pdf*")) == [] and list(tmp_path.glob(".low.pdf*")) == []


@pytest.mark.parametrize(
    "args", [["--layout", "a5", "--output", "x.pdf"], ["--skip", "-1", "--output", "x.pdf"], []]
)
def test_labels_usage_errors_exit_2(args: list[str]):
    with pytest.raises(SystemExit) as exited:
        cli.main(["labels", *args, *TENANT])
    assert exited.value.code == 2
