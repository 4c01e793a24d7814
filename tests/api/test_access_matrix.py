"""The route x role x tenant matrix, generated from the app's own route table.

Every route of ``create_app()`` is a parameter, so a new route is covered as soon as it
exists, and fails until ``world.POLICY`` says who may call it. For each route:
no token → 401; roles below the minimum → 403 while the minimum role succeeds; another
tenant's token → 403 when it names A's tenant, and 404 / never A's data when it names
its own tenant but points at A's objects. Each caller is a sign-in token or an API key of
that role; a read-only key of the minimum role reads but gets 403 on every other method.
(Role and tenant checks of one route share a test each, so the two-tenant world is built
twice per route and caller, not five times.)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from stock_saas.api.app import create_app
from stock_saas.api.routes import ROUTERS
from stock_saas.services.core import Context, Role
from tests.api.world import (
    EXPECTED_SUCCESS,
    MARKER,
    NO_CONTENT,
    PERSON_ONLY,
    POLICY,
    PUBLIC,
    SELF,
    SELF_TWO_FACTOR,
    STREAMS,
    World,
    sample,
)

Auth = Callable[[Context], dict[str, str]]

# Every route create_app() includes (ROUTERS), hidden ones (streams) too. FastAPI >= 0.160
# nests included routers inside app.routes, so the routers are read directly; a test checks
# that they account for every path of the published OpenAPI document.
ROUTES = sorted(
    (method, route.path)
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute)
    for method in route.methods
)
GUARDED = [r for r in ROUTES if POLICY.get(r) != PUBLIC]
TENANT_DATA = [r for r in ROUTES if isinstance(POLICY.get(r), Role)]
# Streams served to their minimum role never end: only checked when a lower role exists.
ROLE_CHECKED = [r for r in TENANT_DATA if r not in STREAMS or POLICY[r] is not Role.USER]


CALLERS = ["token", "key"]
READING = {"GET", "HEAD", "OPTIONS"}


def _id(route: tuple[str, str]) -> str:
    return f"{route[0]} {route[1]}"


def _caller(
    kind: str, world: World, auth: Auth, tenant: str, role: Role, read_only: bool = False
) -> dict[str, str]:
    """The Authorization header of tenant's ``role`` as a token or as an API key."""
    if kind == "token":
        return auth(world.ctx[(tenant, role)])
    return {"Authorization": f"Bearer {world.keys[(tenant, role, read_only)]}"}


def _policy(route: tuple[str, str]) -> Role:
    role = POLICY.get(route)
    assert isinstance(role, Role), f"{_id(route)} has no minimum role in world.POLICY"
    return role


def test_every_route_has_a_policy():
    missing = [_id(r) for r in ROUTES if r not in POLICY]
    assert not missing, f"add these routes to tests/api/world.py POLICY: {missing}"


def test_the_route_table_covers_every_published_path():
    published = {
        (method.upper(), path)
        for path, operations in create_app().openapi()["paths"].items()
        for method in operations
    }
    assert published <= set(ROUTES)


@pytest.mark.parametrize("route", GUARDED, ids=_id)
def test_route_without_token_is_401(route: tuple[str, str], client: TestClient, database: str):
    request = sample(*route, _FakeWorld, tenant_id=1)
    response = client.request(**request)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROLE_CHECKED, ids=_id)
def test_route_refuses_lower_roles_and_serves_its_minimum_role(
    route: tuple[str, str], caller: str, client: TestClient, world: World, auth: Auth
):
    minimum = _policy(route)
    for role in Role:
        if role.rank < minimum.rank:
            response = client.request(
                **sample(*route, world, world.tenant_a, seq=role.value),
                headers=_caller(caller, world, auth, "a", role),
            )
            assert response.status_code == 403, f"{role}: {response.text}"
    if route in STREAMS:
        return  # a served stream never ends
    # The same request from the minimum role goes through, so the 403s above were the role.
    response = client.request(
        **sample(*route, world, world.tenant_a), headers=_caller(caller, world, auth, "a", minimum)
    )
    if caller == "key" and route in PERSON_ONLY:
        assert response.status_code == 403, response.text
        assert "not a person" in response.json()["detail"]
        return
    expected = EXPECTED_SUCCESS.get(route)
    if expected is None:
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code in expected, response.text


@pytest.mark.parametrize("route", [r for r in TENANT_DATA if r not in STREAMS], ids=_id)
def test_read_only_key_reads_and_is_refused_everything_else(
    route: tuple[str, str], client: TestClient, world: World, auth: Auth
):
    minimum = _policy(route)
    response = client.request(
        **sample(*route, world, world.tenant_a),
        headers=_caller("key", world, auth, "a", minimum, read_only=True),
    )
    if route[0] not in READING:
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == "This API key is read-only."
    elif route in PERSON_ONLY:
        assert response.status_code == 403, response.text
    else:
        assert 200 <= response.status_code < 300 or response.status_code in EXPECTED_SUCCESS.get(
            route, set()
        ), response.text


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", TENANT_DATA, ids=_id)
def test_route_keeps_tenants_apart(
    route: tuple[str, str], caller: str, client: TestClient, world: World, auth: Auth
):
    intruder = _caller(caller, world, auth, "b", Role.ADMIN)
    # Naming tenant A with tenant B's token: 403, whatever the role.
    response = client.request(**sample(*route, world, world.tenant_a), headers=intruder)
    assert response.status_code == 403, response.text
    assert MARKER not in response.text
    if route in STREAMS:
        return
    # Naming its own tenant but pointing at A's objects: 404, and never A's data.
    response = client.request(**sample(*route, world, world.tenant_b), headers=intruder)
    assert MARKER not in response.text
    if "{" in route[1] or _points_at_objects(route):
        assert response.status_code == 404, response.text


@pytest.mark.parametrize("route", [r for r in ROUTES if POLICY.get(r) == SELF], ids=_id)
def test_self_routes_show_only_yourself(
    route: tuple[str, str], client: TestClient, world: World, auth: Auth
):
    response = client.request(
        **sample(*route, world, world.tenant_b), headers=auth(world.ctx[("b", Role.ADMIN)])
    )
    if route in SELF_TWO_FACTOR:
        assert response.status_code in SELF_TWO_FACTOR[route], response.text
        assert MARKER not in response.text
        return
    if route in NO_CONTENT:
        assert response.status_code == 204, response.text
        # It acted on B's admin alone: A's people are untouched.
        mine = client.get("/api/me", headers=auth(world.ctx[("a", Role.ADMIN)]))
        assert mine.status_code == 200, mine.text
        return
    assert response.status_code == 200, response.text
    assert response.json()["tenant_id"] == world.tenant_b


def _points_at_objects(route: tuple[str, str]) -> bool:
    """Routes whose sample names tenant A's objects in the body or query."""
    return route in {
        ("POST", "/api/users"),
        ("POST", "/api/items/issue"),
        ("POST", "/api/items/return"),
        ("POST", "/api/items/transfer"),
        ("GET", "/api/items/lookup"),
    }


class _FakeWorld:
    """Ids for requests that never get past authentication."""

    ids = {
        "item_id": 1,
        "department_id": 1,
        "lab_id": 1,
        "category_id": 1,
        "user_id": 1,
        "invite_id": 1,
        "invite_code": "x",
        "task_id": "0" * 32,
        "webhook_id": 1,
        "count_id": 1,
        "key_id": 1,
    }
