"""HTTP methods as the OpenAPI description states them: a method a path does not declare
is 405 with ``Allow``, and ``OPTIONS`` is 204 with ``Allow``.

FastAPI alone gets both wrong: it registers one route per method, so a 405 lists only
the methods of the first route that matched the path, and a static path loses to a
parametrised one (``PATCH /api/items/add`` reached ``PATCH /api/items/{item_id}`` and
was a 422 about ``item_id``). Here a request is matched as OpenAPI matches paths:
static segments before templated ones, so ``/api/items/add`` is always that path.

Pure ASGI, and only for ``/api`` paths the schema declares (anything else, including
Reflex's own routes when the API is mounted into it, passes untouched). CORS preflights
never get here: the CORS middleware sits outside and answers them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["MethodGuard", "declared_paths"]

_PARAMETER = re.compile(r"\{[^}]+\}")
_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "TRACE"})


@dataclass(frozen=True)
class DeclaredPath:
    template: str
    pattern: re.Pattern[str]
    methods: frozenset[str]

    @property
    def allow(self) -> str:
        """The ``Allow`` value: the declared methods, and OPTIONS (answered here)."""
        return ", ".join([*sorted(self.methods), "OPTIONS"])


def _specificity(template: str) -> tuple[int, ...]:
    # OpenAPI: concrete paths match before templated ones, segment by segment.
    return tuple(1 if _PARAMETER.fullmatch(s) else 0 for s in template.split("/"))


def _regex(template: str) -> re.Pattern[str]:
    segments = template.split("/")
    parts = ["[^/]+" if _PARAMETER.fullmatch(s) else re.escape(s) for s in segments]
    return re.compile("^" + "/".join(parts) + "$")


def declared_paths(app: FastAPI) -> list[DeclaredPath]:
    """Every ``/api`` path of ``app``'s OpenAPI description with its methods, most
    specific first (the description is the truth this module enforces)."""
    paths = [
        DeclaredPath(
            template,
            _regex(template),
            frozenset(m.upper() for m in operations if m.upper() in _METHODS),
        )
        for template, operations in app.openapi().get("paths", {}).items()
        if template.startswith("/api/")
    ]
    return sorted(paths, key=lambda p: _specificity(p.template))


class MethodGuard:
    """405 + ``Allow`` for an undeclared method on a declared path; 204 + ``Allow`` for
    OPTIONS. The table is read from the app's OpenAPI description on the first request
    (every router is included by then)."""

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app = app
        self.api = api
        self._paths: list[DeclaredPath] | None = None

    def _match(self, path: str) -> DeclaredPath | None:
        if self._paths is None:
            self._paths = declared_paths(self.api)
        return next((p for p in self._paths if p.pattern.match(path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        declared = self._match(scope["path"])
        method = scope["method"]
        if declared is None or method in declared.methods:
            await self.app(scope, receive, send)
            return
        if method == "OPTIONS":
            await _answer(send, 204, b"", declared.allow)
        else:
            body = json.dumps({"detail": "Method Not Allowed"}).encode()
            await _answer(send, 405, body, declared.allow)


async def _answer(send: Send, status: int, body: bytes, allow: str) -> None:
    headers = [(b"allow", allow.encode())]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
