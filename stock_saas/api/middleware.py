"""ASGI middleware of the API: a bound on request bodies under ``/api`` (64 KiB; the CSV
import takes files up to its own limit).

Pure ASGI (no BaseHTTPMiddleware) so it adds no task per request. It only looks at
``/api`` paths, because when mounted into Reflex this app wraps Reflex's routes too
(uploads must keep their own limit).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stock_saas.services import imports

__all__ = ["MAX_BODY_BYTES", "BodySizeLimit"]

MAX_BODY_BYTES = 64 * 1024
# Paths that take uploads: the file's limit plus room for the multipart envelope.
UPLOAD_LIMITS = {"/api/items/import": imports.MAX_BYTES + 64 * 1024}


def _too_large(limit: int) -> bytes:
    return json.dumps({"detail": f"Request body larger than {limit} bytes."}).encode()


class BodySizeLimit:
    """Answer 413 to any /api request whose body exceeds ``limit`` bytes (declared or sent)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api"):
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_LIMITS.get(scope["path"], self.limit)
        declared = _content_length(scope)
        if declared is not None:
            if declared > limit:
                await _refuse(send, limit)
                return
            # The server's HTTP framing delivers exactly the declared bytes (a longer body
            # is the next request, a malformed one): nothing to count, no body to replay.
            await self.app(scope, receive, send)
            return
        # No length declared (chunked): read the body up front so it cannot sneak past.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _refuse(send, limit)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = _too_large(limit)
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
