"""Keeping the shelves true in the browser: the adjust dialog, a count with a scan, and
printed labels (issue 15). Each test checks what a person reads once the page settles and
the truth behind it (the REST API of the same app)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import (
    add_department,
    add_item,
    api_items,
    api_token,
    open_row_action,
    register_organisation,
    row,
    sign_in,
    unique,
)
from tests.support.decoding import decode_image, needs_decoders, render_pages

pytestmark = pytest.mark.e2e

TOAST = "[data-sonner-toast]"
SHELF = "Shelf A"


def _organisation(new_context: Any) -> tuple[Page, str]:
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    add_department(page, SHELF)
    return page, admin


def _quantities(app_url: str, admin: str, *names: str) -> dict[str, int]:
    token, tenant_id = api_token(app_url, admin)
    found: dict[str, int] = {}
    for name in names:
        [item] = [i for i in api_items(app_url, token, tenant_id, name) if i["name"] == name]
        found[name] = int(item["quantity"])
    return found


def _history(app_url: str, admin: str, name: str) -> list[dict[str, Any]]:
    token, tenant_id = api_token(app_url, admin)
    [item] = [i for i in api_items(app_url, token, tenant_id, name) if i["name"] == name]
    response = httpx.get(
        f"{app_url}/api/items/{item['item_id']}/history",
        params={"tenant_id": tenant_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json()["entries"])


def test_the_adjust_dialog_sets_the_counted_quantity_with_a_reason_and_refuses_below_zero(
    new_context: Any, app_url: str
) -> None:
    page, admin = _organisation(new_context)
    add_item(page, "Saline", 20, 2, department=SHELF)
    quantity = row(page, "Saline").locator(".quantity")
    expect(quantity).to_have_text("20")

    dialog = open_row_action(page, "Saline", "Adjust / write off")
    expect(dialog.get_by_label("How")).to_have_value("counted")
    dialog.get_by_label("Quantity on the shelf").fill("17")
    dialog.get_by_label("Reason").select_option("damaged")
    dialog.get_by_label("Note").fill("crushed box")
    dialog.get_by_role("button", name="Adjust", exact=True).click()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(quantity).to_have_text("17")
    expect(page.locator(TOAST, has_text="Adjusted Saline")).to_contain_text("-3 (damaged)")
    fresh = page.context.new_page()
    fresh.goto("/")
    expect(row(fresh, "Saline").locator(".quantity")).to_have_text("17")
    fresh.close()
    assert _quantities(app_url, admin, "Saline") == {"Saline": 17}

    open_row_action(page, "Saline", "History")
    history = page.locator("#history-dialog")
    expect(history.locator(".history-row")).to_have_count(2)
    newest = history.locator(".history-row").first
    for text in ("adjust", "damaged", "crushed box", "-3"):
        expect(newest).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    entry = _history(app_url, admin, "Saline")[0]
    assert (entry["action"], entry["reason"], entry["note"], entry["delta"]) == (
        "adjust",
        "damaged",
        "crushed box",
        -3,
    )
    assert entry["quantity_after"] == 17

    # Refused: a write-off of more than is on the shelf; the dialog stays, nothing changes.
    dialog = open_row_action(page, "Saline", "Adjust / write off")
    dialog.get_by_label("How").select_option("by")
    dialog.get_by_label("Change by").fill("-50")
    dialog.get_by_label("Reason").select_option("lost")
    dialog.get_by_label("Change by").press("Enter")
    expect(page.locator(TOAST, has_text="cannot take 50")).to_be_visible()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(quantity).to_have_text("17")
    assert _quantities(app_url, admin, "Saline") == {"Saline": 17}
    assert len(_history(app_url, admin, "Saline")) == 2


def _count_line(page: Page, name: str) -> Any:
    return page.locator("#count-lines").get_by_role("row").filter(has_text=name)


def test_a_count_with_a_scan_applies_the_counted_numbers(new_context: Any, app_url: str) -> None:
    page, admin = _organisation(new_context)
    add_item(page, "Gauze", 10, 2, department=SHELF, barcode="4006381333931")
    add_item(page, "Tape", 5, 1, department=SHELF, barcode="5012345678900")

    page.goto("/counts")
    page.get_by_label("Department").select_option(label=SHELF)
    page.get_by_role("button", name="Start count").click()
    expect(page.locator("#page-heading")).to_contain_text(SHELF)
    expect(page.locator("#page-heading")).to_contain_text("open")
    expect(_count_line(page, "Gauze")).to_have_count(1)
    expect(_count_line(page, "Tape")).to_have_count(1)

    scan = page.get_by_label("Scan or type a barcode")
    gauze = page.get_by_label("Counted Gauze")
    for times in (1, 2):
        scan.press_sequentially("4006381333931", delay=5)
        scan.press("Enter")
        expect(gauze).to_have_value(str(times))
        expect(scan).to_be_focused()
        expect(scan).to_have_value("")
    expect(page.locator("#count-summary")).to_contain_text("1 of 2 lines counted")

    tape = page.get_by_label("Counted Tape")
    tape.fill("7")
    tape.press("Tab")
    expect(page.locator("#count-summary")).to_contain_text("2 of 2 lines counted")
    expect(_count_line(page, "Gauze").get_by_role("cell").last).to_have_text("-8")
    expect(_count_line(page, "Tape").get_by_role("cell").last).to_have_text("+2")
    assert _quantities(app_url, admin, "Gauze", "Tape") == {"Gauze": 10, "Tape": 5}

    page.get_by_role("button", name="Submit count").click()
    expect(page.locator("#page-heading")).to_contain_text("submitted")
    expect(page.locator("#count-summary")).to_contain_text("1 short (8 units), 1 over (2 units)")
    expect(page.get_by_label("Counted Gauze")).to_be_disabled()
    assert _quantities(app_url, admin, "Gauze", "Tape") == {"Gauze": 2, "Tape": 7}
    history = _history(app_url, admin, "Gauze")[0]
    assert (history["action"], history["reason"], history["delta"]) == ("adjust", "counted", -8)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download variances (CSV)").click()
    csv = Path(info.value.path()).read_text()
    assert "Gauze" in csv and "Tape" in csv and "-8" in csv

    page.goto("/")
    expect(row(page, "Gauze").locator(".quantity")).to_have_text("2")
    expect(row(page, "Tape").locator(".quantity")).to_have_text("7")


@needs_decoders
def test_print_labels_downloads_a_pdf_whose_codes_scan(
    new_context: Any, app_url: str, tmp_path: Path
) -> None:
    page, admin = _organisation(new_context)
    add_item(page, "Gauze", 10, 2, department=SHELF, barcode="4006381333931")
    add_item(page, "Tape", 5, 1, department=SHELF)  # no barcode: gets one when printed

    page.get_by_role("button", name="Print labels").click()
    dialog = page.get_by_role("dialog", name="Print labels")
    dialog.get_by_label("Label stock").select_option("letter-3x10")
    dialog.get_by_label("Labels already used on the sheet").fill("2")
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "labels.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator(TOAST, has_text="2 labels on 1 page")).to_contain_text(
        "1 items got a barcode"
    )

    token, tenant_id = api_token(app_url, admin)
    [tape] = [i for i in api_items(app_url, token, tenant_id, "Tape") if i["name"] == "Tape"]
    generated = tape["barcode"]
    assert generated and generated != "4006381333931"
    expect(row(page, "Tape")).to_contain_text(generated)

    [image] = render_pages(pdf, tmp_path / "pages")
    codes = set(decode_image(image))
    assert codes == {"4006381333931", generated}
