"""The PATCH ``tenant_id`` rule, on every PATCH route of the app.

``tenant_id`` may travel in the JSON body as in the query string: either alone works,
both must agree (else 403: one of them is not yours), and whichever is sent must be the
caller's tenant (else 403, and nothing changes). Missing in both is 403 on tenant data
(``/api/users/me`` is about the caller alone: there it is optional). Any other unknown
body field is still 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import SQLModel, select

from stock_saas.api.routes import ROUTERS
from stock_saas.db import get_engine
from stock_saas.services.core import Context, Role
from tests.api.world import PERSON_ONLY, POLICY, SELF, World, sample

Auth = Callable[[Context], dict[str, str]]

PATCH_ROUTES = sorted(
    ("PATCH", route.path)
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute) and "PATCH" in route.methods
)


def _id(route: tuple[str, str]) -> str:
    return route[1]


def _caller_role(route: tuple[str, str]) -> Role:
    role = POLICY[route]
    return Role.USER if role == SELF else role  # type: ignore[return-value]


# Written by authentication itself, before any route runs (an API key's last use).
BOOKKEEPING = {"last_used_at"}


def _snapshot() -> list[tuple[str, list[tuple[str, ...]]]]:
    """Every row of every table, as text: equal snapshots mean nothing was written."""
    with get_engine().connect() as connection:
        return [
            (
                table.name,
                sorted(
                    tuple(str(v) for k, v in row._mapping.items() if k not in BOOKKEEPING)
                    for row in connection.execute(select(table))
                ),
            )
            for table in SQLModel.metadata.sorted_tables
            # Bus events the publisher thread relays after earlier, served PATCHes: they may
            # land after the snapshot, and they are not data a refused PATCH could write.
            if table.name != "event_relay"
        ]


def _request(
    route: tuple[str, str],
    world: World,
    *,
    query: int | None,
    body: int | None,
    seq: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The route's sample request with ``tenant_id`` in the query and/or body as given."""
    request = sample(*route, world, world.tenant_a, seq=seq)
    request["params"] = {k: v for k, v in request["params"].items() if k != "tenant_id"}
    if query is not None:
        request["params"]["tenant_id"] = query
    request["json"] = {**request["json"], **(extra or {})}
    if body is not None:
        request["json"]["tenant_id"] = body
    return request


def test_every_patch_route_is_covered():
    assert len(PATCH_ROUTES) >= 9
    assert all(route in POLICY for route in PATCH_ROUTES)


@pytest.mark.parametrize("route", PATCH_ROUTES, ids=_id)
def test_patch_takes_tenant_id_in_the_body_as_in_the_query(
    route: tuple[str, str], client: TestClient, world: World, auth: Auth
):
    caller = auth(world.ctx[("a", _caller_role(route))])
    mine, theirs = world.tenant_a, world.tenant_b

    def send(**kwargs: Any) -> Any:
        return client.request(**_request(route, world, **kwargs), headers=caller)

    # In the body alone, and in both when they agree: served.
    for seq, (query, body) in enumerate([(None, mine), (mine, mine), (mine, None)], start=1):
        response = send(query=query, body=body, seq=str(seq))
        assert 200 <= response.status_code < 300, f"{query=} {body=}: {response.text}"

    before = _snapshot()
    # Body and query disagree: 403 (one is not yours) with a clear detail, whichever is right.
    for query, body in [(mine, theirs), (theirs, mine)]:
        response = send(query=query, body=body, seq="9")
        assert response.status_code == 403, response.text
        assert "differ" in response.json()["detail"]
    # Another tenant's id, in the body alone or in both: 403.
    for query in (None, theirs):
        response = send(query=query, body=theirs, seq="9")
        assert response.status_code == 403, response.text
    # Another unknown field is still refused, with or without tenant_id.
    for body in (None, mine):
        response = send(query=mine, body=body, seq="9", extra={"id": 1})
        assert response.status_code == 422, response.text
    # Named nowhere: 403 on tenant data; optional where the route is about the caller alone.
    response = send(query=None, body=None, seq="9")
    if POLICY[route] == SELF:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403, response.text
        assert "tenant_id" in response.json()["detail"]
    if POLICY[route] != SELF:
        assert _snapshot() == before, "a refused PATCH changed the database"


@pytest.mark.parametrize("route", PATCH_ROUTES, ids=_id)
def test_another_tenant_cannot_patch_by_naming_the_owner_in_the_body(
    route: tuple[str, str], client: TestClient, world: World, auth: Auth
):
    """Tenant B's admin (token or key) naming tenant A in the body: 403, nothing written."""
    before = _snapshot()
    intruders = [auth(world.ctx[("b", Role.ADMIN)])]
    if route not in PERSON_ONLY:
        intruders.append({"Authorization": f"Bearer {world.keys[('b', Role.ADMIN, False)]}"})
    for headers in intruders:
        request = _request(route, world, query=None, body=world.tenant_a, seq="7")
        response = client.request(**request, headers=headers)
        assert response.status_code == 403, response.text
    assert _snapshot() == before
