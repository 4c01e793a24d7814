"""OpenAPI links: the id a create answers with, and the tenant it was made in, flow into
the calls that read, change or delete that object (clients, generators and schemathesis's
stateful phase follow them).

One table, added to the generated description by ``install_links``; ``add_links`` checks
every source and target exists, so a renamed route fails at start-up instead of leaving a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

__all__ = ["LINKS", "Link", "add_links", "install_links"]

_BODY_TENANT = "$request.body#/tenant_id"
_QUERY_TENANT = "$request.query.tenant_id"


@dataclass(frozen=True)
class Link:
    """From ``source`` ("METHOD /path", answering ``status``) to ``target``, whose
    ``parameter`` takes the answer's ``field``."""

    source: str
    status: int
    target: str
    parameter: str
    field: str = "id"
    tenant: str = _BODY_TENANT

    def name(self) -> str:
        method, path = self.target.split(" ", 1)
        tail = path.removeprefix("/api/").replace("/", "_").replace("{", "").replace("}", "")
        return f"{method.lower()}_{tail}"


def _crud(source: str, item_path: str, parameter: str, *methods: str) -> list[Link]:
    return [Link(source, 201, f"{m} {item_path}", parameter) for m in methods]


LINKS: list[Link] = [
    *_crud(
        "POST /api/departments",
        "/api/departments/{department_id}",
        "department_id",
        "PATCH",
        "DELETE",
    ),
    *_crud(
        "POST /api/categories", "/api/categories/{category_id}", "category_id", "PATCH", "DELETE"
    ),
    *_crud("POST /api/webhooks", "/api/webhooks/{webhook_id}", "webhook_id", "PATCH", "DELETE"),
    *_crud("POST /api/webhooks", "/api/webhooks/{webhook_id}/deliveries", "webhook_id", "GET"),
    *_crud("POST /api/keys", "/api/keys/{key_id}", "key_id", "DELETE"),
    *_crud("POST /api/users/invites", "/api/users/invites/{invite_id}", "invite_id", "DELETE"),
    *_crud("POST /api/users", "/api/users/{user_id}", "user_id", "PATCH"),
    *_crud("POST /api/users", "/api/users/{user_id}/two-factor", "user_id", "DELETE"),
    *_crud("POST /api/counts", "/api/counts/{count_id}", "count_id", "GET"),
    *_crud("POST /api/counts", "/api/counts/{count_id}/lines", "count_id", "PATCH"),
    *_crud("POST /api/counts", "/api/counts/{count_id}/variances", "count_id", "GET"),
    *_crud("POST /api/counts", "/api/counts/{count_id}/submit", "count_id", "POST"),
    *_crud("POST /api/counts", "/api/counts/{count_id}/cancel", "count_id", "POST"),
    *[
        Link("POST /api/items/add", 200, f"{method} {path}", "item_id", "item_id")
        for method, path in (
            ("GET", "/api/items/{item_id}"),
            ("PATCH", "/api/items/{item_id}"),
            ("GET", "/api/items/{item_id}/history"),
            ("GET", "/api/items/{item_id}/usage"),
        )
    ],
    Link(
        "POST /api/items/import",
        202,
        "GET /api/items/import/{task_id}",
        "task_id",
        "task_id",
        _QUERY_TENANT,
    ),
    Link(
        "POST /api/analytics/audit/export",
        202,
        "GET /api/analytics/audit/export/{task_id}",
        "task_id",
        "task_id",
        _QUERY_TENANT,
    ),
]


def _operation(paths: dict[str, Any], endpoint: str) -> dict[str, Any]:
    method, path = endpoint.split(" ", 1)
    try:
        operation: dict[str, Any] = paths[path][method.lower()]
    except KeyError:
        raise LookupError(f"OpenAPI link names {endpoint}, which the API does not have") from None
    return operation


def add_links(schema: dict[str, Any], links: list[Link] = LINKS) -> dict[str, Any]:
    """``schema`` with each link under its source's response (operations by operationId)."""
    paths = schema["paths"]
    for link in links:
        source, target = _operation(paths, link.source), _operation(paths, link.target)
        names = {p["name"] for p in target.get("parameters", [])}
        parameters = {link.parameter: f"$response.body#/{link.field}"}
        if "tenant_id" in names:
            parameters["tenant_id"] = link.tenant
        response = source["responses"][str(link.status)]
        response.setdefault("links", {})[link.name()] = {
            "operationId": target["operationId"],
            "parameters": parameters,
            "description": f"The {link.field} this answer holds, in {link.target}.",
        }
    return schema


def install_links(app: FastAPI) -> None:
    """Make ``app.openapi()`` return its description with ``LINKS`` added (once, cached
    by FastAPI like the description itself)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_links(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
