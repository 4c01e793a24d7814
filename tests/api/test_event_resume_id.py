"""GET /api/events refuses a Last-Event-ID that is no audit position, before streaming."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from stock_saas.services.core import Context
from stock_saas.services.events import parse_position

Auth = Callable[[Context], dict[str, str]]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("812", (812, 0)),
        ("812.1", (812, 1)),
        ("9" * 18, (int("9" * 18), 0)),
        ("9" * 19, None),  # past BIGINT: int() would take it, the database would not
        ("1" * 30, None),
        ("٣١٢", None),  # Arabic-Indic digits: str.isdigit() and int() accept them
        ("\uff11\uff12", None),  # fullwidth digits
        ("812.2", None),
        ("-1", None),
        ("", None),
    ],
)
def test_only_ascii_positions_that_fit_the_audit_ids_parse(
    text: str, position: tuple[int, int] | None
):
    assert parse_position(text) == position


@pytest.mark.parametrize(
    "where",
    [
        {"headers": {"Last-Event-ID": "1" * 30}},
        {"params": {"last_event_id": "1" * 30}},
        {"params": {"last_event_id": "٣١٢"}},
    ],
    ids=["30-digit-header", "30-digit-query", "non-ascii-digits"],
)
def test_a_bad_last_event_id_is_a_422_not_a_broken_stream(
    client: TestClient, user_a: Context, auth: Auth, where: dict[str, dict[str, str]]
):
    headers = {**auth(user_a), **where.get("headers", {})}
    params = {"tenant_id": str(user_a.tenant_id), **where.get("params", {})}

    response = client.get("/api/events", headers=headers, params=params)

    assert response.status_code == 422
    assert "Last-Event-ID" in response.json()["detail"]
