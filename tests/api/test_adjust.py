"""``POST /api/items/adjust`` and the reason in the audit API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _adjust(client: TestClient, ctx: Context, auth: Auth, **body: Any) -> Any:
    return client.post(
        "/api/items/adjust", json={"tenant_id": ctx.tenant_id, **body}, headers=auth(ctx)
    )


def test_adjust_to_counted_and_by_delta(
    client: TestClient, manager_a: Context, admin_a: Context, auth: Auth
):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=20, department="Lab")
    counted = _adjust(
        client, manager_a, auth, name="Gloves", department="Lab", counted=18, reason="counted"
    )
    assert counted.status_code == 200, counted.text
    assert (counted.json()["quantity"], counted.json()["delta"]) == (18, -2)
    damaged = _adjust(
        client,
        manager_a,
        auth,
        item_id=added.item_id,
        department=added.department_id,
        delta=-3,
        reason="damaged",
        note="crushed box",
    )
    assert damaged.json()["quantity"] == 15
    logs = client.get(
        "/api/audit/logs",
        params={"tenant_id": admin_a.tenant_id, "reason": "damaged"},
        headers=auth(admin_a),
    ).json()
    assert [(e["action"], e["reason"], e["delta"], e["note"]) for e in logs["entries"]] == [
        ("adjust", "damaged", -3, "crushed box")
    ]
    history = client.get(
        f"/api/items/{added.item_id}/history",
        params={"tenant_id": manager_a.tenant_id},
        headers=auth(manager_a),
    ).json()
    assert [e["reason"] for e in history["entries"]] == ["damaged", "counted", None]


def test_adjust_below_zero_is_409_and_changes_nothing(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=2)
    refused = _adjust(client, manager_a, auth, name="Gloves", delta=-5, reason="lost")
    assert refused.status_code == 409
    assert "Only 2 of 'Gloves'" in refused.json()["detail"]
    assert stock.list_stock(ctx=manager_a).items[0].quantity == 2


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"name": "Gloves", "counted": 1, "delta": -1, "reason": "counted"}, "exactly one"),
    ({"name": "Gloves", "reason": "counted"}, "exactly one of counted and delta"),
    ({"name": "Gloves", "delta": 0, "reason": "correction"}, "must not be 0"),
    ({"name": "Gloves", "delta": -1, "reason": "stolen"}, "reason"),
    ({"name": "Gloves", "counted": 1, "reason": "counted", "tenant": 9}, "tenant"),
]


def test_bad_adjust_requests_are_422_with_a_reason(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    for body, problem in BAD_REQUESTS:
        refused = _adjust(client, manager_a, auth, **body)
        assert refused.status_code == 422, body
        assert problem in refused.json()["detail"], body
    assert stock.list_stock(ctx=manager_a).items[0].quantity == 5


def test_a_reason_against_the_deltas_sign_is_409(
    client: TestClient, manager_a: Context, auth: Auth
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    refused = _adjust(client, manager_a, auth, name="Gloves", delta=2, reason="expired")
    assert refused.status_code == 409
    assert "must be negative" in refused.json()["detail"]
    assert stock.list_stock(ctx=manager_a).items[0].quantity == 5


def test_the_adjust_schema_lists_the_reasons(client: TestClient):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["AdjustReason"]["enum"] == [
        "counted", "damaged", "expired", "lost", "found", "correction",
    ]  # fmt: skip
