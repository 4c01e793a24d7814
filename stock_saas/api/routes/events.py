"""``GET /api/events``: the tenant's live events as Server-Sent Events.

Each event is one frame: ``id:`` (its position in the audit log, e.g. ``812`` or ``812.1``
for the low-stock crossing it caused; export events carry no id and are not replayed),
``event:`` (its type) and ``data:`` (the JSON payload, README "Events, SSE and webhooks").
Reconnect with ``Last-Event-ID`` (header, or the ``last_event_id`` query parameter) to get
what was missed, replayed from the audit log, then the live stream, without duplicates.
A comment line is sent every SSE_HEARTBEAT_SECONDS; the token (or API key) is checked
again then, so a deactivated user's or a revoked key's stream ends. Each connection has a
bounded queue: a client that cannot keep up is disconnected (it may resume), and never
slows the others.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from stock_saas.api.deps import TenantContext, oauth2_scheme
from stock_saas.api.errors import ERROR_RESPONSES
from stock_saas.config import get_settings
from stock_saas.errors import StockSaasError, ValidationFailed
from stock_saas.services import events
from stock_saas.services.core import Context, Source
from stock_saas.services.events import Envelope, Position
from stock_saas.services.keys import context_from_bearer

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["events"], responses=ERROR_RESPONSES)

REPLAY_PAGE = 500
RETRY_MS = 2000
FRAME_CACHE = 2048
BATCH = 100


# Every connection sends the same text for the same event: encode it once. Keyed by id but
# checked by identity, so a different event under an old id (a test's fresh database)
# never gets another's text.
_frames: OrderedDict[str, tuple[Envelope, str]] = OrderedDict()


def frame(envelope: Envelope) -> str:
    """One SSE frame for ``envelope`` (encoded once, whatever the number of clients)."""
    cached = _frames.get(envelope.id)
    if cached is not None and cached[0] is envelope:
        return cached[1]
    data = json.dumps(envelope.payload(), separators=(",", ":"))
    head = f"id: {envelope.id}\n" if envelope.position is not None else ""
    text = f"{head}event: {envelope.event.type}\ndata: {data}\n\n"
    _frames[envelope.id] = (envelope, text)
    if len(_frames) > FRAME_CACHE:
        _frames.popitem(last=False)
    return text


class _Connection:
    """One SSE client's bounded queue; ``overflowed`` once it fell too far behind."""

    def __init__(self, tenant_id: int, size: int) -> None:
        self.tenant_id = tenant_id
        self.queue: asyncio.Queue[Envelope] = asyncio.Queue(maxsize=size)
        self.overflowed = False

    def offer(self, envelope: Envelope) -> None:
        if self.overflowed or envelope.event.tenant_id != self.tenant_id:
            return
        try:
            self.queue.put_nowait(envelope)
        except asyncio.QueueFull:
            self.overflowed = True


class _Hub:
    """One bus consumer per event loop: one thread hop per event, whatever the number of
    connections (a hop per connection costs a wake-up each)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.connections: set[_Connection] = set()
        events.subscribe(self.on_event)

    def on_event(self, envelope: Envelope) -> None:  # any thread; never blocks the publisher
        if self.connections:
            self.loop.call_soon_threadsafe(self.fan_out, envelope)

    def fan_out(self, envelope: Envelope) -> None:
        for connection in list(self.connections):
            connection.offer(envelope)


_hubs: dict[asyncio.AbstractEventLoop, _Hub] = {}


def _hub() -> _Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for stale in [h for h in _hubs.values() if h.loop.is_closed()]:
            events.unsubscribe(stale.on_event)
            del _hubs[stale.loop]
        hub = _hubs[loop] = _Hub(loop)
    return hub


async def _stream(ctx: Context, token: str, after: Position | None) -> AsyncIterator[str]:
    settings = get_settings()
    events.start_bus()
    hub = _hub()
    connection = _Connection(ctx.tenant_id, settings.sse_queue_size)
    hub.connections.add(connection)  # before the replay, so nothing falls in between
    try:
        yield f"retry: {RETRY_MS}\n: connected\n\n"
        watermark = after
        while watermark is not None:
            page = await run_in_threadpool(
                events.replay, ctx=ctx, after=watermark, limit=REPLAY_PAGE
            )
            if not page:
                break
            yield "".join(frame(e) for e in page)
            watermark = page[-1].position
        while not connection.overflowed:
            try:
                first = await asyncio.wait_for(
                    connection.queue.get(), settings.sse_heartbeat_seconds
                )
            except TimeoutError:
                try:
                    await run_in_threadpool(
                        context_from_bearer, token, source=Source.API, metered=False
                    )
                except StockSaasError:
                    return  # signed out, deactivated or expired: end the stream
                yield ": heartbeat\n\n"
                continue
            batch = [first]
            while not connection.queue.empty() and len(batch) < BATCH:
                batch.append(connection.queue.get_nowait())
            fresh = [
                e
                for e in batch
                if watermark is None or e.position is None or e.position > watermark
            ]
            if fresh and not connection.overflowed:
                yield "".join(frame(e) for e in fresh)  # one write for what piled up
    finally:
        hub.connections.discard(connection)


@router.get(
    "/events",
    response_class=StreamingResponse,
    # Not in the OpenAPI document: a stream never ends, which generated clients and the
    # schema-driven tests cannot handle. Documented in the README instead.
    include_in_schema=False,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The event stream"}},
)
async def event_stream(
    ctx: TenantContext,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    last_event_id_header: Annotated[
        str | None, Header(alias="Last-Event-ID", max_length=40)
    ] = None,
    last_event_id: Annotated[str | None, Query(max_length=40)] = None,
) -> StreamingResponse:
    """Your tenant's events as they happen (``text/event-stream``); see the module docs."""
    resume_from = last_event_id_header or last_event_id
    after = events.parse_position(resume_from) if resume_from else None
    if resume_from and after is None:
        raise ValidationFailed(
            "Last-Event-ID must be an event id such as 812 or 812.1 (ASCII digits, at most 18)."
        )
    return StreamingResponse(
        _stream(ctx, token or "", after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
