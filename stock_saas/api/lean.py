"""A shortcut through FastAPI's request handling for the hot movement POSTs.

``POST /api/items/issue`` and ``/api/items/return`` are declared like every route (their
OpenAPI, validation errors, status codes and ``detail`` are FastAPI's), but solving their
dependencies per request (the Bearer scheme, the token check, the body, the tenant check)
was a seventh of the API's CPU on the issue path. :class:`MovementRoute` answers the
common request itself, with the same checks in the same order:

- no query string, ``Content-Type: application/json``, a non-empty JSON body;
- ``Authorization: Bearer <credential>`` (parsed as ``OAuth2PasswordBearer`` does) that
  ``remembered_bearer_context`` accepts without I/O (a sign-in token whose user's row was
  read less than a second ago; API keys are always read, so never here);
- the body valid for the route's body field, validated by the field FastAPI uses;
- the tenant check (``deps.reconcile_tenant``), then the route's own endpoint, and its
  answer serialised by FastAPI's ``serialize_response`` against the response model.

Anything else (no or unknown credential, an invalid body, a query string, dependency
overrides, ...) goes to FastAPI's own handler with the body already read, so every refusal
is exactly FastAPI's. Exceptions (the service's 403/404/409, the tenant check's 403) reach
the app's error handlers as from any endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute, _effective_route_context_var, serialize_response

from stock_saas.api.deps import reconcile_tenant
from stock_saas.services.core import Context, Source
from stock_saas.services.keys import remembered_bearer_context

__all__ = ["MovementRoute"]

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_JSON = "application/json"


def _bearer(request: Request) -> str | None:
    """The credential as ``OAuth2PasswordBearer(auto_error=False)`` reads it."""
    authorization = request.headers.get("authorization")
    if not authorization:
        return None
    scheme, _, credential = authorization.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" else None


class MovementRoute(APIRoute):
    """An ``APIRoute`` for ``async def endpoint(body: <TenantBody model>, ctx: Context)``
    with a body checked by ``deps.tenant_body``: FastAPI's handler, plus the shortcut."""

    def get_route_handler(self) -> Handler:
        general = super().get_route_handler()
        effective = _effective_route_context_var.get()  # as APIRoute's own does
        route: Any = (
            effective if effective is not None and effective.original_route is self else self
        )
        body_field, response_field = route.body_field, route.response_field
        overrides = route.dependency_overrides_provider
        endpoint = route.dependant.call
        assert body_field is not None and response_field is not None and endpoint is not None
        assert not route._embed_body_fields, "one body model, not embedded"
        if route.dependencies:  # added by an include_router: only FastAPI knows them
            return general

        async def lean(request: Request) -> Response | None:
            if request.scope["query_string"] or (overrides and overrides.dependency_overrides):
                return None
            if request.headers.get("content-type") != _JSON:
                return None
            credential = _bearer(request)
            if not credential:
                return None
            ctx: Context | None = remembered_bearer_context(credential, source=Source.API)
            if ctx is None:
                return None
            raw = await request.body()  # kept on the request for FastAPI's handler
            if not raw:
                return None
            try:
                document = json.loads(raw)
            except ValueError:
                return None
            body, errors = body_field.validate(document, {}, loc=("body",))
            if errors:
                return None
            reconcile_tenant(ctx, getattr(body, "tenant_id", None), None)
            answer = await endpoint(body=body, ctx=ctx)
            content = await serialize_response(
                field=response_field,
                response_content=answer,
                include=route.response_model_include,
                exclude=route.response_model_exclude,
                by_alias=route.response_model_by_alias,
                exclude_unset=route.response_model_exclude_unset,
                exclude_defaults=route.response_model_exclude_defaults,
                exclude_none=route.response_model_exclude_none,
                is_coroutine=True,
                dump_json=True,
            )
            return Response(content, status_code=route.status_code or 200, media_type=_JSON)

        async def handler(request: Request) -> Response:
            answered = await lean(request)
            return answered if answered is not None else await general(request)

        return handler
