"""GET /api/events with an API key: the tenant's events arrive; a revoked key's stream ends
at the next heartbeat; a key names its own tenant only."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from stock_saas.services import keys, stock
from stock_saas.services.core import Context
from tests.events.conftest import WAIT_SECONDS
from tests.events.test_sse import Stream


def _open(api: str, key: str, tenant_id: int) -> httpx.Response:
    return httpx.Client(timeout=httpx.Timeout(WAIT_SECONDS)).send(
        httpx.Request(
            "GET",
            f"{api}/api/events",
            params={"tenant_id": tenant_id},
            headers={"Authorization": f"Bearer {key}"},
        ),
        stream=True,
    )


def test_a_key_streams_its_tenants_events_until_it_is_revoked(
    api_server: str, admin_a: Context, manager_a: Context, settings_env: Callable[..., None]
) -> None:
    settings_env(SSE_HEARTBEAT_SECONDS="0.3")
    made = keys.create_key(ctx=admin_a, name="listener", read_only=True)
    response = _open(api_server, made.key, admin_a.tenant_id)
    try:
        assert response.status_code == 200, response.read()
        stream = Stream(response)
        stream.wait_connected()
        change = stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
        frame = stream.next_frame()
        assert frame["id"] == str(change.audit_id)
        keys.revoke_key(ctx=admin_a, key_id=made.id)
        with pytest.raises(AssertionError, match="the stream ended"):
            stream.next_frame()  # the heartbeat's check ends it
    finally:
        response.close()


def test_a_key_cannot_open_another_tenants_stream(
    api_server: str, admin_a: Context, admin_b: Context
) -> None:
    key_b = keys.create_key(ctx=admin_b, name="b listener").key
    response = _open(api_server, key_b, admin_a.tenant_id)
    try:
        assert response.status_code == 403, response.read()
    finally:
        response.close()
