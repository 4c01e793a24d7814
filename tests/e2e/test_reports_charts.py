"""The reports in the browser: the dashboard's header strip and its chart, the history
dialog's chart, both following changes live; the /reorder page showing the API's rows,
days left as bars, its controls, CSV and print view; users kept out of it."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import (
    PASSWORD,
    add_item,
    api_token,
    open_row_action,
    register_organisation,
    sign_in,
    unique,
)

pytestmark = pytest.mark.e2e


def _admin_with_items(new_context, items: list[tuple[str, int, int]]) -> tuple[Page, str]:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    admin = unique("admin")
    register_organisation(page, unique("Org"), admin)
    sign_in(page, admin)
    for name, quantity, threshold in items:
        add_item(page, name, quantity, threshold)
    return page, admin


def _api(app_url: str, admin: str) -> tuple[dict[str, str], int]:
    token, tenant_id = api_token(app_url, admin)
    return {"Authorization": f"Bearer {token}"}, tenant_id


def _issue(app_url: str, auth: dict[str, str], tenant_id: int, name: str, quantity: int) -> None:
    httpx.post(
        f"{app_url}/api/items/issue",
        json={"name": name, "quantity": quantity, "tenant_id": tenant_id},
        headers=auth,
        timeout=30,
    ).raise_for_status()


def _strip(page: Page) -> dict[str, str]:
    return {
        key: page.locator(f"#overview-{key}").inner_text()
        for key in ("levels", "low", "running-out", "movements")
    }


def test_the_header_strip_and_its_chart_follow_changes_live(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, admin = _admin_with_items(new_context, [("Gauze", 20, 5), ("Tape", 50, 5)])
    expect(page.locator("#overview-levels")).to_have_text("2")
    expect(page.locator("#overview-low")).to_have_text("0")
    expect(page.locator("#overview-running-out")).to_have_text("0")
    expect(page.locator("#overview-movements")).to_have_text("2")  # the two adds
    chart = page.locator("#movements-chart")
    expect(chart.locator(".recharts-wrapper > svg")).to_be_visible()
    expect(chart.locator("path.recharts-rectangle")).to_have_count(0)  # nothing issued yet
    auth, tenant_id = _api(app_url, admin)

    _issue(app_url, auth, tenant_id, "Gauze", 18)  # 2 left: low, and out within a week

    expect(page.locator("#overview-low")).to_have_text("1")
    expect(page.locator("#overview-running-out")).to_have_text("1")
    expect(page.locator("#overview-movements")).to_have_text("3")
    expect(chart.locator("path.recharts-rectangle")).to_have_count(1)  # today's issue bar
    live = _strip(page)
    page.reload()
    expect(page.locator("#overview-movements")).to_have_text("3")
    assert _strip(page) == live  # what arrived live is what a fresh load reads
    page.locator("#overview-low").click()
    page.wait_for_url(re.compile(r"/\?.*low=1"))
    expect(page.locator(".stock-row")).to_have_count(1)
    expect(page.locator(".stock-row")).to_contain_text("Gauze")


def test_the_history_chart_updates_while_open_and_switches_periods(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    page, admin = _admin_with_items(new_context, [("Swabs", 50, 10)])
    open_row_action(page, "Swabs", "History")
    dialog = page.locator("#history-dialog")
    chart = dialog.locator("#usage-chart")
    expect(chart.locator(".recharts-wrapper > svg")).to_be_visible()
    expect(dialog.locator("#usage-summary")).to_have_text(
        "50 on hand, threshold 10; last 30 days: 0 issued, 0 returned"
    )
    expect(chart.locator(".recharts-line")).to_have_count(2)  # on hand and threshold
    expect(chart.locator("path.recharts-rectangle")).to_have_count(0)
    auth, tenant_id = _api(app_url, admin)

    _issue(app_url, auth, tenant_id, "Swabs", 3)

    expect(dialog.locator("#usage-summary")).to_have_text(
        "47 on hand, threshold 10; last 30 days: 3 issued, 0 returned"
    )
    expect(chart.locator("path.recharts-rectangle")).to_have_count(1)
    dialog.locator("#chart-days-90").click()
    expect(dialog.locator("#chart-days-90")).to_have_attribute("aria-pressed", "true")
    expect(dialog.locator("#usage-summary")).to_contain_text("last 90 days: 3 issued")
    httpx.post(
        f"{app_url}/api/items/return",
        json={"name": "Swabs", "quantity": 1, "tenant_id": tenant_id},
        headers=auth,
        timeout=30,
    ).raise_for_status()
    expect(dialog.locator("#usage-summary")).to_have_text(
        "48 on hand, threshold 10; last 90 days: 3 issued, 1 returned"
    )
    expect(chart.locator("path.recharts-rectangle")).to_have_count(2)


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _page_rows(page: Page) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator("#reorder-table .reorder-row").all()
    ]


def _api_rows(app_url: str, auth: dict[str, str], **query: Any) -> list[list[str]]:
    response = httpx.get(f"{app_url}/api/reports/reorder", params=query, headers=auth, timeout=30)
    response.raise_for_status()
    return [
        [
            r["name"],
            r["department"],
            f"{r['quantity']}low" if r["quantity"] < r["threshold"] else str(r["quantity"]),
            str(r["threshold"]),
            _figure(r["daily_usage"]),
            _figure(r["days_left"]),
            r["stockout_date"] or "",
            str(r["suggested_order"]),
        ]
        for r in response.json()["rows"]
    ]


def test_the_reorder_page_shows_the_apis_rows_with_days_left_as_bars(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    items = [("Bandages", 2, 10), ("Gloves", 40, 5), ("Masks", 90, 5), ("Wipes", 100, 5)]
    page, admin = _admin_with_items(new_context, items)
    auth, tenant_id = _api(app_url, admin)
    _issue(app_url, auth, tenant_id, "Gloves", 30)  # 1 a day over 30 days, 10 days left
    _issue(app_url, auth, tenant_id, "Masks", 3)  # 0.1 a day: 870 days left, not listed

    page.locator("nav").get_by_role("link", name="Reorder").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/reorder")
    expect(page.locator("#reorder-table .reorder-row")).to_have_count(2)
    expected = _api_rows(app_url, auth, tenant_id=tenant_id, days=30, cover_days=30)
    assert [r[0] for r in expected] == ["Gloves", "Bandages"]
    assert [[c.replace(" ", "").replace("\n", "") for c in r] for r in _page_rows(page)] == [
        [c.replace(" ", "") for c in r] for r in expected
    ]
    expect(page.locator("#days-left-chart path.recharts-rectangle")).to_have_count(1)

    page.fill("#reorder-cover", "0")
    page.click("#reorder-apply")
    page.wait_for_url(re.compile(r"cover=0"))
    expect(page.locator("#reorder-table .reorder-row")).to_have_count(1)
    expect(page.locator("#reorder-table .reorder-row")).to_contain_text("Bandages")
    page.fill("#reorder-days", "400")
    page.click("#reorder-apply")
    expect(page.locator("#reorder-days-error")).to_be_visible()

    with page.expect_download() as download:
        page.click("#reorder-csv")
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["item", "department"]
    assert [r[0] for r in rows[1:]] == ["Bandages"]  # the window and cover shown

    printed = page.context.new_page()
    printed.goto("/reorder/print?days=30&cover=30")
    expect(printed.locator("#reorder-table .reorder-row")).to_have_count(2)
    expect(printed.locator("#reorder-table-next")).to_have_count(0)  # the whole list


def test_users_cannot_open_the_reorder_page(new_context, app_url: str) -> None:  # type: ignore[no-untyped-def]
    _, admin = _admin_with_items(new_context, [("Gauze", 1, 5)])
    auth, tenant_id = _api(app_url, admin)
    username = unique("user")
    httpx.post(
        f"{app_url}/api/users",
        json={"username": username, "password": PASSWORD, "role": "user", "tenant_id": tenant_id},
        headers=auth,
        timeout=30,
    ).raise_for_status()
    user_page = new_context().new_page()
    sign_in(user_page, username)
    expect(user_page.locator("nav").get_by_role("link", name="Reorder")).to_have_count(0)
    expect(user_page.locator("#overview-running-out")).to_have_text("0")
    user_page.goto("/reorder")
    user_page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(user_page.locator("#reorder-table")).to_have_count(0)


def test_settings_turn_the_weekly_digest_on_and_set_the_time_zone(
    new_context, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    page, admin = _admin_with_items(new_context, [])
    auth, tenant_id = _api(app_url, admin)
    page.goto("/settings")
    expect(page.locator("#digest-enabled")).not_to_be_checked()
    page.locator("label[for=digest-enabled]").click()
    page.select_option("#digest-time-zone", "Europe/Berlin")
    page.click("#save-digest")
    expect(page.locator("[data-sonner-toast]", has_text="Weekly digest on.")).to_be_visible()

    digest = httpx.get(
        f"{app_url}/api/reports/digest", params={"tenant_id": tenant_id}, headers=auth, timeout=30
    ).json()
    assert (digest["enabled"], digest["time_zone"]) == (True, "Europe/Berlin")
    page.reload()
    expect(page.locator("#digest-enabled")).to_be_checked()
    expect(page.locator("#digest-time-zone")).to_have_value("Europe/Berlin")
