"""Route dependencies as type aliases: a route's signature says what it needs.

Checks that do no I/O are ``async def`` so FastAPI runs them on the event loop instead
of handing each to the thread pool (a thread hop per dependency is measurable).

- ``CurrentContext``: the caller, from the Bearer credential, with role and tenant RE-READ
  from the database (for a sign-in token, a copy of the user's row at most a second old,
  ``services.people.recent_users``; checked on the event loop when that copy is at hand,
  else in the thread pool): a sign-in token (``services.people``) or an API key
  (``services.keys``: read-only keys get 403 on any method but GET/HEAD/OPTIONS, and a
  key past its rate limit 429). 401 without a valid credential.
- ``TenantContext``: ``CurrentContext`` for a call on tenant data (GET/PATCH/DELETE): the
  ``tenant_id`` query parameter is required and must equal the caller's tenant, else 403.
- ``tenant_body(Model)``: the same check for a call with a JSON body, where ``tenant_id``
  may travel in the body, the query string or both (``reconcile_tenant``): a POST body
  (``TenantBody``) must carry it, a PATCH body (``TenantPatch``) may; named in neither,
  body and query disagreeing, or either not the caller's tenant -> 403. It only
  names the tenant: no route hands it to a service, so nobody switches tenants with it.
- ``ClientIp``: the address a request came from (for the sign-in and sign-up limits).

Which calls are "tenant data": every route except ``/api/token``, ``/api/auth/register``,
``/api/auth/invite-departments``, ``/api/auth/logout``, ``/api/health``, ``/api/me`` and
``/api/users/me`` (those act on the caller alone or on nobody yet).
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer

from stock_saas.api.schemas.common import ID_MAX, ApiModel
from stock_saas.api.threads import in_thread
from stock_saas.errors import Forbidden, Unauthorized
from stock_saas.security.client_address import client_address
from stock_saas.services.core import Context, Source
from stock_saas.services.keys import context_from_bearer, remembered_bearer_context

__all__ = [
    "ClientIp",
    "CurrentContext",
    "TenantContext",
    "check_tenant",
    "reconcile_tenant",
    "tenant_body",
]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def current_context(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Context:
    if not token:
        raise Unauthorized("Not signed in: send Authorization: Bearer <token or API key>.")
    known = remembered_bearer_context(token, source=Source.API)
    if known is not None:
        return known
    writes = request.method not in READING_METHODS
    return await in_thread(context_from_bearer, token, source=Source.API, writes=writes)


CurrentContext = Annotated[Context, Depends(current_context)]


def check_tenant(ctx: Context, tenant_id: int) -> None:
    """403 unless the request names the caller's own tenant."""
    if tenant_id != ctx.tenant_id:
        raise Forbidden("tenant_id is not your tenant.")


async def tenant_context(
    ctx: CurrentContext,
    tenant_id: Annotated[
        int,
        Query(ge=1, le=ID_MAX, description="Your tenant's id; must equal your token's tenant."),
    ],
) -> Context:
    check_tenant(ctx, tenant_id)
    return ctx


TenantContext = Annotated[Context, Depends(tenant_context)]

B = TypeVar("B", bound=ApiModel)

TenantQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=ID_MAX,
        description="Your tenant's id, here or in the body (the two must agree); "
        "must equal your token's tenant.",
    ),
]


def reconcile_tenant(
    ctx: Context, in_body: int | None, in_query: int | None, *, required: bool = True
) -> None:
    """The tenant a request with a body names, in the body, the query or both: 403 unless
    each one named is the caller's (two that differ cannot both be), and 403 when named in
    neither (unless not ``required``).

    403, not 422: the schema cannot say "in one of the two places", so a request that
    names no tenant, or another one, is refused as a request on tenant data not yours."""
    if in_body is not None and in_query is not None and in_body != in_query:
        raise Forbidden("tenant_id in the body and in the query string differ: one is not yours.")
    named = in_body if in_body is not None else in_query
    if named is not None:
        check_tenant(ctx, named)
    elif required:
        raise Forbidden("tenant_id is required: send it in the query string or the body.")


def tenant_body(model: type[B], *, required: bool = True) -> Any:
    """``Depends`` that parses a ``model`` body (``TenantBody`` or ``TenantPatch``) and
    403s unless the tenant it names, there or in the query string, is the caller's.

    Use as ``body: Annotated[IssueRequest, tenant_body(IssueRequest)]`` with
    ``ctx: CurrentContext`` (not ``TenantContext``: that one wants the query string).
    ``required=False`` for routes about the caller alone: naming a tenant there is optional,
    but a named one must still be the caller's.
    """

    async def checked(ctx: Context, body: B, tenant_id: int | None = None) -> B:
        reconcile_tenant(ctx, getattr(body, "tenant_id", None), tenant_id, required=required)
        return body

    # FastAPI reads parameter types from the signature; give it the concrete model.
    checked.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=CurrentContext),
            inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=model),
            inspect.Parameter(
                "tenant_id", inspect.Parameter.KEYWORD_ONLY, annotation=TenantQuery, default=None
            ),
        ],
        return_annotation=model,
    )
    return Depends(_named(checked, f"tenant_checked_{model.__name__}"))


def _named(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    # FastAPI tells sync from async by the function itself; renaming keeps that intact.
    function.__name__ = function.__qualname__ = name
    return function


async def client_ip(request: Request) -> str | None:
    """The client's address: the peer, or what a proxy named in FORWARDED_ALLOW_IPS says
    in X-Forwarded-For (``security.client_address``)."""
    return client_address(
        request.client.host if request.client else None,
        ",".join(request.headers.getlist("x-forwarded-for")) or None,
    )


ClientIp = Annotated[str | None, Depends(client_ip)]
