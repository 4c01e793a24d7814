"""Counts through HTTP: start, scan and type rows, read, submit once, variance CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_a_count_over_http(client: TestClient, manager_a: Context, user_a: Context, auth: Auth):
    tenant = {"tenant_id": manager_a.tenant_id}
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, department="Lab", barcode="G-1")
    stock.add_stock(ctx=manager_a, name="Masks", quantity=4, department="Lab")
    started = client.post(
        "/api/counts", json={**tenant, "department": "Lab"}, headers=auth(manager_a)
    )
    assert started.status_code == 201, started.text
    count_id = started.json()["id"]
    again = client.post(
        "/api/counts", json={**tenant, "department": "Lab"}, headers=auth(manager_a)
    )
    assert again.status_code == 409
    assert f"open count (#{count_id}" in again.json()["detail"]

    def patch(lines: list[dict[str, Any]]) -> Any:
        return client.patch(
            f"/api/counts/{count_id}/lines",
            params=tenant,
            json={"lines": lines},
            headers=auth(user_a),
        )

    for _ in range(2):
        scanned = patch([{"barcode": "G-1", "add": 1}])
    assert scanned.status_code == 200, scanned.text
    assert [(r["name"], r["counted"], r["variance"]) for r in scanned.json()["lines"]] == [
        ("Gloves", 2, -8)
    ]
    bad = patch([{"barcode": "G-1", "add": 1, "counted": 3}])
    assert (bad.status_code, "exactly one of counted and add" in bad.json()["detail"]) == (
        422,
        True,
    )
    assert patch([{"barcode": "NOPE", "add": 1}]).status_code == 404
    page = client.get(f"/api/counts/{count_id}", params=tenant, headers=auth(user_a)).json()
    assert [(r["name"], r["counted"], r["expected"]) for r in page["lines"]] == [
        ("Gloves", 2, 10),
        ("Masks", None, 4),
    ]
    assert page["count"]["summary"]["counted"] == 1

    refused = client.post(f"/api/counts/{count_id}/submit", json=tenant, headers=auth(user_a))
    assert refused.status_code == 403
    done = client.post(f"/api/counts/{count_id}/submit", json=tenant, headers=auth(manager_a))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["summary"]["units_short"]) == ("submitted", 8)
    twice = client.post(f"/api/counts/{count_id}/submit", json=tenant, headers=auth(manager_a))
    assert (twice.status_code, "already submitted" in twice.json()["detail"]) == (409, True)
    assert stock.list_stock(ctx=manager_a, q="Gloves").items[0].quantity == 2

    report = client.get(f"/api/counts/{count_id}/variances", params=tenant, headers=auth(user_a))
    assert report.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert [
        (r["item"], r["expected"], r["counted"], r["variance"], r["applied"]) for r in rows
    ] == [
        ("Gloves", "10", "2", "-8", "-8"),
        ("Masks", "4", "", "", ""),
    ]
    listed = client.get(
        "/api/counts", params={**tenant, "status": "submitted"}, headers=auth(user_a)
    )
    assert [c["id"] for c in listed.json()["counts"]] == [count_id]
