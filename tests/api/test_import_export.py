"""``GET /api/stock/export`` and ``POST|GET /api/items/import``: CSV out, CSV in with a
dry run, row errors, 413 for oversized files."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _upload(client: TestClient, auth: Auth, ctx: Context, data: bytes, dry_run: bool) -> dict:
    started = client.post(
        "/api/items/import",
        params={"tenant_id": ctx.tenant_id, "dry_run": str(dry_run).lower()},
        files={"file": ("stock.csv", data, "text/csv")},
        headers=auth(ctx),
    )
    assert started.status_code == 202, started.text
    task_id = started.json()["task_id"]
    # TestClient runs the background task before it returns the response.
    status = client.get(
        f"/api/items/import/{task_id}", params={"tenant_id": ctx.tenant_id}, headers=auth(ctx)
    )
    assert status.status_code == 200, status.text
    return status.json()


def test_export_is_csv_in_the_import_columns_with_formulas_neutralised(
    client: TestClient, auth: Auth, manager_a: Context
):
    stock.add_stock(ctx=manager_a, name="=cmd|' /C calc'!A0", quantity=3, barcode="123")
    answer = client.get(
        "/api/stock/export", params={"tenant_id": manager_a.tenant_id}, headers=auth(manager_a)
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text.splitlines() == [
        "name,department,category,quantity,threshold,barcode",
        "'=cmd|' /C calc'!A0,General,,3,0,123",
    ]


def test_dry_run_then_apply_round_trip(client: TestClient, auth: Auth, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=4)
    data = b"name,quantity,threshold\nGloves,7,\nMasks,2,1\n"
    preview = _upload(client, auth, manager_a, data, dry_run=True)
    assert preview["status"] == "done" and preview["dry_run"] is True
    assert (preview["created"], preview["updated"], preview["unchanged"]) == (1, 1, 0)
    gloves = next(c for c in preview["changes"] if c["name"] == "Gloves")
    assert (gloves["old_quantity"], gloves["new_quantity"]) == (10, 7)
    assert stock.list_stock(ctx=manager_a).total == 1
    applied = _upload(client, auth, manager_a, data, dry_run=False)
    assert applied["applied"] is True and applied["progress"] == 100.0
    assert {r.name: r.quantity for r in stock.list_stock(ctx=manager_a).items} == {
        "Gloves": 7,
        "Masks": 2,
    }
    exported = client.get(
        "/api/stock/export", params={"tenant_id": manager_a.tenant_id}, headers=auth(manager_a)
    ).content
    again = _upload(client, auth, manager_a, exported, dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_row_errors_name_row_and_column_and_apply_writes_nothing(
    client: TestClient, auth: Auth, manager_a: Context
):
    result = _upload(client, auth, manager_a, b"name,quantity\nGloves,x\n", dry_run=False)
    assert result["applied"] is False
    assert result["errors"] == [
        {"row": 2, "column": "quantity", "message": "'x' is not a whole number."}
    ]
    assert stock.list_stock(ctx=manager_a).total == 0


def test_a_file_over_20_mb_is_refused_with_413(client: TestClient, auth: Auth, manager_a: Context):
    data = b"name\n" + b"x" * (20 * 1024 * 1024)
    answer = client.post(
        "/api/items/import",
        params={"tenant_id": manager_a.tenant_id},
        files={"file": ("big.csv", data, "text/csv")},
        headers=auth(manager_a),
    )
    assert answer.status_code == 413
    assert "bytes" in answer.json()["detail"]
    assert stock.list_stock(ctx=manager_a).total == 0


def test_another_tenants_import_is_not_found(
    client: TestClient, auth: Auth, manager_a: Context, manager_b: Context
):
    result = client.post(
        "/api/items/import",
        params={"tenant_id": manager_a.tenant_id},
        files={"file": ("s.csv", b"name\nGloves\n", "text/csv")},
        headers=auth(manager_a),
    ).json()
    theirs = client.get(
        f"/api/items/import/{result['task_id']}",
        params={"tenant_id": manager_b.tenant_id},
        headers=auth(manager_b),
    )
    assert theirs.status_code == 404
