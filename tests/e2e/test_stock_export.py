"""The dashboard's Export CSV downloads the stock shown, in the import's columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.flows import add_item, register_organisation, sign_in, unique

pytestmark = pytest.mark.e2e


def test_export_csv_downloads_the_stock_levels(new_context) -> None:  # type: ignore[no-untyped-def]
    page: Page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_item(page, "=Catheter", 30, 5, barcode="5012345678900")
    with page.expect_download() as download:
        page.click("#export-stock")
    assert download.value.suggested_filename == "stock.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines == [
        "name,department,category,quantity,threshold,barcode",
        "'=Catheter,General,,30,5,5012345678900",
    ]
