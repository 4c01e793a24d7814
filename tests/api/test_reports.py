"""Reports through HTTP: the contract's fields and formulas, bad windows, the CSV, the
digest settings. (Who may call each route is the access matrix's job.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.support.history import stock_the_store

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")

USAGE_FIELDS = {
    "issued",
    "returned",
    "written_off",
    "net_usage",
    "daily_usage",
    "days_left",
    "stockout_date",
    "series",
}
REORDER_FIELDS = {
    "item_id",
    "name",
    "department",
    "quantity",
    "threshold",
    "daily_usage",
    "days_left",
    "suggested_order",
}


def _get(client: TestClient, ctx: Context, auth: Auth, path: str, **params: Any) -> Any:
    return client.get(path, params={"tenant_id": ctx.tenant_id, **params}, headers=auth(ctx))


def test_usage_answers_the_contract(
    client: TestClient, manager_a: Context, user_a: Context, auth: Auth
):
    stock_the_store(manager_a)
    swabs = stock.issue_stock(ctx=user_a, item="Swabs", quantity=2, department="Ward")
    response = _get(
        client, user_a, auth, f"/api/items/{swabs.item_id}/usage", days=30,
        department_id=swabs.department_id,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    usage = response.json()
    assert set(usage) >= USAGE_FIELDS
    assert (usage["issued"], usage["net_usage"], usage["daily_usage"]) == (92, 92, 3.0667)
    assert usage["days_left"] == pytest.approx(18 * 30 / 92, abs=0.01)
    assert set(usage["series"][-1]) == {"date", "issued", "returned", "quantity_end"}
    assert usage["series"][-1]["issued"] == 2 and usage["series"][-1]["quantity_end"] == 18


def test_reorder_answers_the_contract(client: TestClient, manager_a: Context, auth: Auth):
    stock_the_store(manager_a)
    response = _get(client, manager_a, auth, "/api/reports/reorder", days=30, cover_days=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["rows"][0]) >= REORDER_FIELDS
    assert [(r["name"], r["suggested_order"]) for r in body["rows"]] == [
        ("Tape", 30),
        ("Swabs", 80),
        ("Gloves", 20),
        ("Bandages", 5),
    ]
    assert body["rows"][-1]["days_left"] is None and body["total"] == 4


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/reports/reorder", {"days": 0}),
        ("/api/reports/reorder", {"days": 366}),
        ("/api/reports/reorder", {"cover_days": -1}),
        ("/api/reports/reorder", {"cover_days": "lots"}),
        ("/api/items/1/usage", {"days": 400}),
    ],
)
def test_bad_windows_are_422_with_a_detail(
    client: TestClient, manager_a: Context, auth: Auth, path: str, params: dict[str, Any]
):
    response = _get(client, manager_a, auth, path, **params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_usage_of_an_item_not_stocked_in_that_department_is_404(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock_the_store(manager_a)
    tape = stock.restock(ctx=manager_a, item="Tape", quantity=1, department="Lab")
    ward = stock.restock(ctx=manager_a, item="Gloves", quantity=1, department="Ward")
    response = _get(
        client, manager_a, auth, f"/api/items/{tape.item_id}/usage",
        department_id=ward.department_id,
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json() == {"detail": "'Tape' is not stocked in Ward."}


def test_the_csv_is_an_attachment_safe_for_spreadsheets(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="@SUM(A1)", quantity=1, threshold=4)
    response = _get(client, manager_a, auth, "/api/reports/reorder.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[1][:4] == ["'@SUM(A1)", "General", "1", "4"]


def test_digest_settings_round_trip(
    client: TestClient, admin_a: Context, manager_a: Context, auth: Auth
):
    turned_on = client.patch(
        "/api/reports/digest",
        params={"tenant_id": manager_a.tenant_id},
        json={"enabled": True},
        headers=auth(manager_a),
    )
    assert turned_on.status_code == 200 and turned_on.json()["enabled"] is True
    zone = client.patch(
        "/api/reports/digest/schedule",
        params={"tenant_id": admin_a.tenant_id},
        json={"time_zone": "America/Chicago"},
        headers=auth(admin_a),
    )
    assert zone.status_code == 200
    mine = _get(client, manager_a, auth, "/api/reports/digest").json()
    assert (mine["enabled"], mine["time_zone"], mine["eligible"]) == (True, "America/Chicago", True)


@pytest.mark.parametrize(
    "body", [{"time_zone": "Moon/Base"}, {"time_zone": ""}, {"time_zone": "UTC", "tenant": 2}]
)
def test_a_bad_time_zone_is_422_and_changes_nothing(
    client: TestClient, admin_a: Context, auth: Auth, body: dict[str, Any]
):
    response = client.patch(
        "/api/reports/digest/schedule",
        params={"tenant_id": admin_a.tenant_id},
        json=body,
        headers=auth(admin_a),
    )
    assert response.status_code == 422 and response.json()["detail"]
    assert _get(client, admin_a, auth, "/api/reports/digest").json()["time_zone"] == "UTC"
