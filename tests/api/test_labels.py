"""``GET /api/labels``: a streamed PDF whose every code finds its item via the lookup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.support.decoding import decode_image, needs_decoders, render_pages

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


@needs_decoders
def test_labels_pdf_codes_find_their_items(
    client: TestClient, manager_a: Context, auth: Auth, tmp_path: Path
):
    tenant = {"tenant_id": manager_a.tenant_id}
    gloves = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5, department="Lab")
    masks = stock.add_stock(ctx=manager_a, name="Masks", quantity=1, threshold=3, barcode="M-7")
    response = client.get(
        "/api/labels",
        params={**tenant, "item_id": [gloves.item_id, masks.item_id], "layout": "letter-3x10"},
        headers=auth(manager_a),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [page] = render_pages(response.content, tmp_path)
    codes = decode_image(page)
    assert codes == ["M-7", "M-7", "SS-000001", "SS-000001"]
    for code, name in (("SS-000001", "Gloves"), ("M-7", "Masks")):
        found = client.get(
            "/api/items/lookup", params={**tenant, "barcode": code}, headers=auth(manager_a)
        )
        assert found.json()["name"] == name
    low = client.get("/api/labels", params={**tenant, "low": "true"}, headers=auth(manager_a))
    assert decode_image(render_pages(low.content, tmp_path / "low")[0]) == ["M-7", "M-7"]


def test_bad_label_requests_are_4xx_with_a_reason(
    client: TestClient, manager_a: Context, auth: Auth
):
    tenant = {"tenant_id": manager_a.tenant_id}
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    for params, status, detail in (
        ({"layout": "62x29", "skip": 3}, 409, "skip must be between 0 and 0"),
        ({"layout": "a5"}, 422, "layout"),
        ({"low": "true"}, 404, "Nothing to print"),
        ({"department_id": 999}, 404, "No department 999"),
    ):
        refused = client.get("/api/labels", params={**tenant, **params}, headers=auth(manager_a))
        assert refused.status_code == status, params
        assert detail in refused.json()["detail"], params
    assert stock.list_stock(ctx=manager_a).items[0].barcode is None
