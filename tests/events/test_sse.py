"""GET /api/events: order, resume with Last-Event-ID, tenant isolation, auth, slow clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from stock_saas.api.routes import events as sse
from stock_saas.security.tokens import issue_token
from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.events.conftest import WAIT_SECONDS, Collector

Frame = dict[str, Any]


def _token(ctx: Context) -> str:
    assert ctx.user_id is not None
    return issue_token(user_id=ctx.user_id, tenant_id=ctx.tenant_id, role=ctx.role.value)


class Stream:
    """Reads SSE frames (id, event, data) from an open response."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def wait_connected(self) -> None:
        """Until the server says it has subscribed (headers alone come before that)."""
        for line in self.lines:
            if line == ": connected":
                return
        raise AssertionError("the stream ended")

    def next_frame(self) -> Frame:
        frame: Frame = {}
        for line in self.lines:
            if not line:
                if "data" in frame:
                    return frame
                frame = {}
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            frame[name] = json.loads(value) if name == "data" else value
        raise AssertionError("the stream ended")


@contextmanager
def open_stream(
    api: str, ctx: Context, *, tenant_id: int | None = None, last_event_id: str | None = None
) -> Iterator[Stream]:
    headers = {"Authorization": f"Bearer {_token(ctx)}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    params = {"tenant_id": tenant_id or ctx.tenant_id}
    timeout = httpx.Timeout(WAIT_SECONDS)
    with httpx.stream(
        "GET", f"{api}/api/events", params=params, headers=headers, timeout=timeout
    ) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = Stream(response)
        yield stream


def test_events_arrive_in_commit_order_with_audit_ids(api_server: str, manager_a: Context) -> None:
    with open_stream(api_server, manager_a) as stream:
        changes = [
            stock.add_stock(ctx=manager_a, name=f"Item {n}", quantity=n + 1) for n in range(3)
        ]
        frames = [stream.next_frame() for _ in changes]

    assert [f["id"] for f in frames] == [str(c.audit_id) for c in changes]
    assert [f["data"]["data"]["item_name"] for f in frames] == ["Item 0", "Item 1", "Item 2"]
    assert {f["event"] for f in frames} == {"stock.changed"}


def test_a_low_crossing_follows_its_change_with_a_sub_id(
    api_server: str, manager_a: Context
) -> None:
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=50, threshold=10)
    with open_stream(api_server, manager_a) as stream:
        change = stock.issue_stock(ctx=manager_a, item="Gloves", quantity=45)
        frames = [stream.next_frame(), stream.next_frame()]

    assert [(f["id"], f["event"]) for f in frames] == [
        (str(change.audit_id), "stock.changed"),
        (f"{change.audit_id}.1", "stock.low"),
    ]


def test_resuming_with_last_event_id_replays_the_gap_without_duplicates(
    api_server: str, manager_a: Context
) -> None:
    stock.add_stock(ctx=manager_a, name="Masks", quantity=50, threshold=10)
    with open_stream(api_server, manager_a) as stream:
        first = stock.issue_stock(ctx=manager_a, item="Masks", quantity=1)
        assert stream.next_frame()["id"] == str(first.audit_id)
    missed = [stock.issue_stock(ctx=manager_a, item="Masks", quantity=1) for _ in range(2)]

    with open_stream(api_server, manager_a, last_event_id=str(first.audit_id)) as stream:
        replayed = [stream.next_frame() for _ in missed]
        live = stock.issue_stock(ctx=manager_a, item="Masks", quantity=1)
        after = stream.next_frame()

    assert [f["id"] for f in replayed] == [str(c.audit_id) for c in missed]
    assert after["id"] == str(live.audit_id)


def test_another_tenants_events_never_appear(
    api_server: str, manager_a: Context, manager_b: Context
) -> None:
    with open_stream(api_server, manager_b) as stream:
        stock.add_stock(ctx=manager_a, name="Secret ALPHA", quantity=5)
        mine = stock.add_stock(ctx=manager_b, name="Beta item", quantity=5)
        frame = stream.next_frame()

    assert frame["id"] == str(mine.audit_id)
    assert frame["data"]["tenant_id"] == manager_b.tenant_id


def test_a_bad_token_is_401(api_server: str, manager_a: Context) -> None:
    response = httpx.get(
        f"{api_server}/api/events",
        params={"tenant_id": manager_a.tenant_id},
        headers={"Authorization": "Bearer not-a-token"},
        timeout=WAIT_SECONDS,  # a loaded CI machine once took over httpx's default 5 s
    )

    assert response.status_code == 401


def test_another_tenant_id_is_403(api_server: str, manager_a: Context, manager_b: Context) -> None:
    response = httpx.get(
        f"{api_server}/api/events",
        params={"tenant_id": manager_b.tenant_id},
        headers={"Authorization": f"Bearer {_token(manager_a)}"},
        timeout=WAIT_SECONDS,
    )

    assert response.status_code == 403


def test_a_garbage_last_event_id_is_422(api_server: str, manager_a: Context) -> None:
    response = httpx.get(
        f"{api_server}/api/events",
        params={"tenant_id": manager_a.tenant_id},
        headers={"Authorization": f"Bearer {_token(manager_a)}", "Last-Event-ID": "x; drop"},
        timeout=WAIT_SECONDS,
    )

    assert response.status_code == 422


def test_a_client_that_falls_behind_is_dropped(
    bus: Collector, manager_a: Context, settings_env: Any
) -> None:
    settings_env(SSE_QUEUE_SIZE="2")

    async def scenario() -> list[str]:
        stream = sse._stream(manager_a, _token(manager_a), None)
        assert (await anext(stream)).startswith("retry:")  # subscribed, not reading on
        for n in range(4):
            await asyncio.to_thread(stock.add_stock, ctx=manager_a, name=f"Flood {n}", quantity=1)
        await asyncio.sleep(0)  # let the queued hand-offs run
        return [frame async for frame in stream]

    # On a thread of its own: a browser test's event loop may be running on this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, scenario()).result(timeout=60) == []
