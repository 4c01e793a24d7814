"""Two tenants with one of everything, and sample requests for every API route.

Tenant A's objects carry the marker ``ALPHA`` in their names, so a test can assert that
no response given to tenant B ever contains it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stock_saas.models import Tenant
from stock_saas.services import catalog, counts, keys, people, stock, webhooks
from stock_saas.services.core import Context, Role
from stock_saas.services.people import create_user
from tests.conftest import TEST_PASSWORD, ContextFactory

MARKER = "ALPHA"
PUBLIC = "public"  # no token needed
SELF = "self"  # any signed-in user; about themselves, not tenant data

# The minimum role of every route; a route missing here fails the matrix tests.
POLICY: dict[tuple[str, str], Role | str] = {
    ("POST", "/api/token"): PUBLIC,
    ("POST", "/api/auth/register"): PUBLIC,
    ("POST", "/api/auth/invite-departments"): PUBLIC,
    ("GET", "/api/health"): PUBLIC,
    ("GET", "/api/ready"): PUBLIC,
    ("GET", "/api/me"): SELF,
    ("POST", "/api/auth/logout"): SELF,
    ("PATCH", "/api/users/me"): SELF,
    ("GET", "/api/users/me/two-factor"): SELF,
    ("POST", "/api/users/me/two-factor"): SELF,
    ("POST", "/api/users/me/two-factor/confirm"): SELF,
    ("POST", "/api/users/me/two-factor/disable"): SELF,
    ("DELETE", "/api/users/{user_id}/two-factor"): Role.ADMIN,
    ("GET", "/api/users"): Role.ADMIN,
    ("POST", "/api/users"): Role.ADMIN,
    ("PATCH", "/api/users/{user_id}"): Role.ADMIN,
    ("GET", "/api/users/invites"): Role.ADMIN,
    ("POST", "/api/users/invites"): Role.ADMIN,
    ("DELETE", "/api/users/invites/{invite_id}"): Role.ADMIN,
    ("GET", "/api/departments"): Role.USER,
    ("POST", "/api/departments"): Role.MANAGER,
    ("PATCH", "/api/departments/{department_id}"): Role.MANAGER,
    ("DELETE", "/api/departments/{department_id}"): Role.MANAGER,
    ("GET", "/api/categories"): Role.USER,
    ("POST", "/api/categories"): Role.MANAGER,
    ("PATCH", "/api/categories/{category_id}"): Role.MANAGER,
    ("DELETE", "/api/categories/{category_id}"): Role.MANAGER,
    ("GET", "/api/items"): Role.USER,
    ("POST", "/api/items/add"): Role.MANAGER,
    ("POST", "/api/items/issue"): Role.USER,
    ("POST", "/api/items/return"): Role.USER,
    ("POST", "/api/items/transfer"): Role.MANAGER,
    ("POST", "/api/items/adjust"): Role.MANAGER,
    ("GET", "/api/items/lookup"): Role.USER,
    ("GET", "/api/items/{item_id}"): Role.USER,
    ("PATCH", "/api/items/{item_id}"): Role.MANAGER,
    ("GET", "/api/items/{item_id}/history"): Role.USER,
    ("GET", "/api/items/{item_id}/usage"): Role.USER,
    ("GET", "/api/reports/reorder"): Role.MANAGER,
    ("GET", "/api/reports/reorder.csv"): Role.MANAGER,
    ("GET", "/api/reports/digest"): Role.USER,
    ("PATCH", "/api/reports/digest"): Role.MANAGER,
    ("PATCH", "/api/reports/digest/schedule"): Role.ADMIN,
    ("GET", "/api/status"): Role.USER,
    ("GET", "/api/stock/export"): Role.USER,
    ("POST", "/api/items/import"): Role.MANAGER,
    ("GET", "/api/items/import/{task_id}"): Role.MANAGER,
    ("POST", "/api/counts"): Role.MANAGER,
    ("GET", "/api/counts"): Role.USER,
    ("GET", "/api/counts/{count_id}"): Role.USER,
    ("PATCH", "/api/counts/{count_id}/lines"): Role.USER,
    ("POST", "/api/counts/{count_id}/submit"): Role.MANAGER,
    ("POST", "/api/counts/{count_id}/cancel"): Role.MANAGER,
    ("GET", "/api/counts/{count_id}/variances"): Role.USER,
    ("GET", "/api/labels"): Role.MANAGER,
    ("GET", "/api/audit/logs"): Role.ADMIN,
    ("POST", "/api/analytics/audit/export"): Role.ADMIN,
    ("GET", "/api/analytics/audit/export/{task_id}"): Role.ADMIN,
    ("GET", "/api/events"): Role.USER,
    # Outbound webhooks (their behaviour is tested in tests/events).
    ("GET", "/api/webhooks"): Role.ADMIN,
    ("POST", "/api/webhooks"): Role.ADMIN,
    ("PATCH", "/api/webhooks/{webhook_id}"): Role.ADMIN,
    ("DELETE", "/api/webhooks/{webhook_id}"): Role.ADMIN,
    ("GET", "/api/webhooks/{webhook_id}/deliveries"): Role.ADMIN,
    # API keys: made by a signed-in admin (a key cannot make keys).
    ("GET", "/api/keys"): Role.ADMIN,
    ("POST", "/api/keys"): Role.ADMIN,
    ("DELETE", "/api/keys/{key_id}"): Role.ADMIN,
    # The organisation's settings; its two-factor policy is set by a signed-in admin.
    ("GET", "/api/organisation"): Role.USER,
    ("PATCH", "/api/organisation"): Role.ADMIN,
}

# Routes about the person calling: an API key acts for its tenant, not a person, so even a
# key of the route's minimum role gets 403 there (tokens are served as POLICY says).
PERSON_ONLY = {
    ("POST", "/api/keys"),
    ("GET", "/api/reports/digest"),
    ("PATCH", "/api/reports/digest"),
    ("PATCH", "/api/reports/digest/schedule"),
    ("PATCH", "/api/organisation"),
}

# SELF routes that answer 204 without a body (they act on the caller alone).
NO_CONTENT = {("POST", "/api/auth/logout")}

# SELF routes about the caller's second factor: not a profile (no tenant_id in the answer),
# and the sample's code cannot match a secret the caller never set up (409).
SELF_TWO_FACTOR = {
    ("GET", "/api/users/me/two-factor"): {200},
    ("POST", "/api/users/me/two-factor"): {201},
    ("POST", "/api/users/me/two-factor/confirm"): {409},
    ("POST", "/api/users/me/two-factor/disable"): {409},
}

# Routes that answer with an endless stream: only their refusals (401/403) are probed here,
# a successful request would never finish.
STREAMS = {("GET", "/api/events")}


@dataclass
class World:
    tenant_a: int
    tenant_b: int
    ctx: dict[tuple[str, Role], Context]
    ids: dict[str, Any] = field(default_factory=dict)
    # API keys, one more kind of caller: (tenant, role, read_only) -> the key.
    keys: dict[tuple[str, Role, bool], str] = field(default_factory=dict)


def build_world(make_ctx: ContextFactory, tenant_a: Tenant, tenant_b: Tenant) -> World:
    """Tenant A: users of each role, a department, category, stocked item with a barcode,
    an open invite, an empty department and category to delete, a key of each role, read-only
    or not, and one to revoke. Tenant B: its admin and an admin key."""
    assert tenant_a.id is not None and tenant_b.id is not None
    ctx = {("a", role): make_ctx(tenant_a, role) for role in Role}
    ctx[("b", Role.ADMIN)] = make_ctx(tenant_b, Role.ADMIN)
    manager = ctx[("a", Role.MANAGER)]
    admin = ctx[("a", Role.ADMIN)]
    stock.add_stock(
        ctx=manager,
        name=f"Gloves {MARKER}",
        quantity=50,
        threshold=10,
        department=f"Lab {MARKER}",
        category=f"Tools {MARKER}",
        barcode="4006381-A",
    )
    change = stock.add_stock(ctx=manager, name=f"Gloves {MARKER}", quantity=50)
    # Units a user has out, so that the user's return has something to put back.
    stock.issue_stock(
        ctx=ctx[("a", Role.USER)],
        item=f"Gloves {MARKER}",
        quantity=10,
        department=f"Lab {MARKER}",
    )
    empty_department = catalog.create_department(ctx=manager, name=f"Attic {MARKER}")
    empty_category = catalog.create_category(ctx=manager, name=f"Spare {MARKER}")
    departments = {d.name: d.id for d in catalog.list_departments(ctx=manager)}
    invite = people.create_invite(ctx=admin, role=Role.USER)
    member = create_user(
        ctx=admin, username=f"member-{MARKER.lower()}", password=TEST_PASSWORD, role=Role.USER
    )
    ids = {
        "item_id": change.item_id,
        "department_id": empty_department.id,
        "lab_id": departments[f"Lab {MARKER}"],
        "category_id": empty_category.id,
        "user_id": member.id,
        "invite_id": invite.id,
        "invite_code": invite.code,
        "task_id": "0" * 32,
        "count_id": counts.start_count(ctx=manager, department=f"Lab {MARKER}").id,
        "webhook_id": webhooks.create_endpoint(
            ctx=admin, url=f"https://hooks.example.test/{MARKER}", event_types=["stock.low"]
        ).endpoint.id,
        "key_id": keys.create_key(ctx=admin, name="spare").id,
    }
    made = {
        ("a", role, read_only): keys.create_key(
            ctx=admin, name=f"{role.value} {read_only}", role=role, read_only=read_only
        ).key
        for role in Role
        for read_only in (False, True)
    }
    made[("b", Role.ADMIN, False)] = keys.create_key(
        ctx=ctx[("b", Role.ADMIN)], name="b admin", role=Role.ADMIN
    ).key
    return World(tenant_a.id, tenant_b.id, ctx, ids, made)


Request = dict[str, Any]  # path, params, json, data: what TestClient.request takes


def sample(method: str, path: str, world: World, tenant_id: int, seq: str = "1") -> Request:
    """A request to ``method path`` that the route's minimum role of tenant A may make.

    ``tenant_id`` is what the request claims (A's, or B's for cross-tenant probes); path
    and body ids always point at tenant A's objects.
    """
    ids = world.ids
    url = path.format(**{k: v for k, v in ids.items()})
    params: dict[str, Any] = {"tenant_id": tenant_id}
    body: dict[str, Any] | None = None
    special = _SAMPLES.get((method, path))
    if special is not None:
        extra_params, body = special(ids, seq)
        params.update(extra_params)
    elif method == "POST":
        body = {}
    if (method, path) in UPLOADS:
        return {"method": method, "url": url, "params": params, "files": UPLOADS[(method, path)]}
    if body is not None and method == "POST" and POLICY.get((method, path)) != SELF:
        body = {**body, "tenant_id": tenant_id}
    return {"method": method, "url": url, "params": params, "json": body}


# Routes that take a multipart file (tenant_id in the query string) and the file they get.
UPLOADS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/items/import"): {"file": ("stock.csv", b"name,quantity\nMasks,5\n", "text/csv")},
}


_Sample = Callable[[dict[str, Any], str], tuple[dict[str, Any], dict[str, Any] | None]]
_SAMPLES: dict[tuple[str, str], _Sample] = {
    ("POST", "/api/users"): lambda ids, n: (
        {},
        {"username": f"new-{n}", "password": TEST_PASSWORD, "department_id": ids["lab_id"]},
    ),
    ("PATCH", "/api/users/me"): lambda ids, n: ({}, {"notification_preference": "slack"}),
    ("PATCH", "/api/users/{user_id}"): lambda ids, n: ({}, {"role": "manager"}),
    ("POST", "/api/users/invites"): lambda ids, n: ({}, {"role": "manager"}),
    ("POST", "/api/departments"): lambda ids, n: ({}, {"name": f"Ward {n}"}),
    ("PATCH", "/api/departments/{department_id}"): lambda ids, n: ({}, {"name": f"Loft {n}"}),
    ("POST", "/api/categories"): lambda ids, n: ({}, {"name": f"Kits {n}"}),
    ("PATCH", "/api/categories/{category_id}"): lambda ids, n: ({}, {"name": f"Parts {n}"}),
    ("POST", "/api/items/add"): lambda ids, n: ({}, {"name": f"Masks {n}", "quantity": 5}),
    ("POST", "/api/items/issue"): lambda ids, n: (
        {},
        {"item_id": ids["item_id"], "quantity": 1, "department": ids["lab_id"]},
    ),
    ("POST", "/api/items/return"): lambda ids, n: (
        {},
        {"item_id": ids["item_id"], "quantity": 1, "department": ids["lab_id"]},
    ),
    ("POST", "/api/items/transfer"): lambda ids, n: (
        {},
        {
            "item_id": ids["item_id"],
            "quantity": 1,
            "from_department": ids["lab_id"],
            "to_department": ids["department_id"],
        },
    ),
    ("POST", "/api/items/adjust"): lambda ids, n: (
        {},
        {"item_id": ids["item_id"], "department": ids["lab_id"], "delta": -1, "reason": "lost"},
    ),
    ("GET", "/api/items/lookup"): lambda ids, n: ({"barcode": "4006381-A"}, None),
    ("POST", "/api/counts"): lambda ids, n: ({}, {"department": ids["department_id"]}),
    ("GET", "/api/labels"): lambda ids, n: ({"item_id": ids["item_id"]}, None),
    ("PATCH", "/api/counts/{count_id}/lines"): lambda ids, n: (
        {},
        {"lines": [{"item_id": ids["item_id"], "counted": 99}]},
    ),
    ("PATCH", "/api/items/{item_id}"): lambda ids, n: ({}, {"notes": f"checked {n}"}),
    ("POST", "/api/analytics/audit/export"): lambda ids, n: ({"limit": 10}, {}),
    ("POST", "/api/webhooks"): lambda ids, n: (
        {},
        {"url": f"https://hooks.example.test/{n}", "event_types": ["stock.changed"]},
    ),
    ("PATCH", "/api/webhooks/{webhook_id}"): lambda ids, n: ({}, {"description": f"d {n}"}),
    ("GET", "/api/items/{item_id}/usage"): lambda ids, n: ({"department_id": ids["lab_id"]}, None),
    ("PATCH", "/api/reports/digest"): lambda ids, n: ({}, {"enabled": True}),
    ("PATCH", "/api/reports/digest/schedule"): lambda ids, n: ({}, {"time_zone": "Europe/Berlin"}),
    ("POST", "/api/keys"): lambda ids, n: ({}, {"name": f"key {n}", "role": "user"}),
    ("PATCH", "/api/organisation"): lambda ids, n: ({}, {"require_two_factor": False}),
    ("POST", "/api/users/me/two-factor/confirm"): lambda ids, n: ({}, {"code": "123456"}),
    ("POST", "/api/users/me/two-factor/disable"): lambda ids, n: ({}, {"code": "123456"}),
}

# What the minimum role gets back when the sample succeeds (default: any 2xx).
EXPECTED_SUCCESS: dict[tuple[str, str], set[int]] = {
    # No export with this id exists: the admin passes the role check and gets 404.
    ("GET", "/api/analytics/audit/export/{task_id}"): {404},
    ("GET", "/api/items/import/{task_id}"): {404},
}
