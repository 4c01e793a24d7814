"""ASGI middleware: a request id for every ``/api`` request, and one JSON log line for it.

The id is the client's ``X-Request-ID`` when it is a short token (letters, digits, ``._:-``,
at most 128 characters), else a new random one; it is bound to the logging context while
the request runs (so every line the request logs carries it) and echoed in the response's
``X-Request-ID`` header. The access line has method, path (never the query string),
status, duration and client address: no header, body or token is ever logged.
Pure ASGI, like :mod:`stock_saas.api.middleware`; paths outside ``/api`` (Reflex pages,
its websocket) pass through untouched.
"""

from __future__ import annotations

import logging
import random
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stock_saas.logging import bind_request_id

__all__ = ["REQUEST_ID_HEADER", "RequestLog"]

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER = REQUEST_ID_HEADER.lower().encode()
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
log = logging.getLogger("stock_saas.access")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == _HEADER:
            candidate = value.decode("latin-1")
            if _ACCEPTABLE_ID.fullmatch(candidate):
                return candidate
            break
    # Unique, not secret: a non-cryptographic 128-bit draw spares a getrandom() system
    # call per request (uuid4 was 2 % of the issue path); random reseeds after a fork.
    return f"{random.getrandbits(128):032x}"


class RequestLog:
    """Bind and echo a request id; log one access line per ``/api`` request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api"):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        started = time.perf_counter()
        outcome = {"status": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                headers = [(n, v) for n, v in message.get("headers", []) if n != _HEADER]
                headers.append((_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with bind_request_id(request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                client = scope.get("client")
                log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    outcome["status"],
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": outcome["status"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "client": client[0] if client else None,
                    },
                )
