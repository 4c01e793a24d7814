"""The main paths of the contract, end to end through HTTP."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]


def test_add_issue_status_round_trip(client: TestClient, auth: Auth, manager_a: Context):
    tenant = manager_a.tenant_id
    added = client.post(
        "/api/items/add",
        json={"name": "Gloves", "quantity": 100, "threshold": 20, "tenant_id": tenant},
        headers=auth(manager_a),
    )
    assert added.status_code == 200, added.text
    issued = client.post(
        "/api/items/issue",
        json={"name": "Gloves", "quantity": 90, "tenant_id": tenant},
        headers=auth(manager_a),
    )
    assert issued.json()["quantity"] == 10
    status = client.get("/api/status", params={"tenant_id": tenant}, headers=auth(manager_a))
    assert status.json()["low_count"] == 1
