"""POST /api/auth/register and the invite flow, through HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from stock_saas.db import read_session
from stock_saas.models import Tenant
from stock_saas.services import catalog
from stock_saas.services.core import Context
from tests.conftest import TEST_PASSWORD

Auth = Callable[[Context], dict[str, str]]
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _invite(client: TestClient, admin: Context, auth: Auth, **body: object) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/users/invites", json={"tenant_id": admin.tenant_id, **body}, headers=auth(admin)
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_sign_up_without_invite_founds_an_organisation(client: TestClient, database: str):
    response = client.post(
        "/api/auth/register",
        json={"username": "alice", "password": TEST_PASSWORD, "organisation": "Alice Clinic"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "admin"
    signed = client.post("/api/token", data={"username": "alice", "password": TEST_PASSWORD})
    assert signed.status_code == 200


def test_two_organisations_may_share_a_name_and_sign_up_does_not_tell(
    client: TestClient, database: str
):
    answers = []
    for username in ("alice", "bob"):
        response = client.post(
            "/api/auth/register",
            json={"username": username, "password": TEST_PASSWORD, "organisation": "Clinic"},
        )
        assert response.status_code == 201, response.text
        answers.append(response.json())
    assert sorted(answers[0]) == sorted(answers[1])  # same shape: nothing says "taken"
    assert answers[0]["tenant_id"] != answers[1]["tenant_id"]
    with read_session() as session:
        tenants = {
            t.id: (t.name, t.display_name)
            for t in session.exec(select(Tenant).where(Tenant.display_name == "Clinic"))
        }
    handles = [tenants[a["tenant_id"]][0] for a in answers]
    assert [tenants[a["tenant_id"]][1] for a in answers] == ["Clinic", "Clinic"]
    assert handles[0] == "Clinic" and handles[1].startswith("Clinic #") and len(set(handles)) == 2


def test_sign_up_with_invite_joins_its_tenant_with_its_role(
    client: TestClient, admin_a: Context, manager_a: Context, auth: Auth
):
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    invite = _invite(client, admin_a, auth, role="manager")
    offered = client.post("/api/auth/invite-departments", json={"invite_code": invite["code"]})
    assert lab.id in [d["id"] for d in offered.json()]
    joined = client.post(
        "/api/auth/register",
        json={
            "username": "bob",
            "password": TEST_PASSWORD,
            "invite_code": invite["code"],
            "department_id": lab.id,
        },
    )
    assert joined.status_code == 201, joined.text
    assert (joined.json()["tenant_id"], joined.json()["role"], joined.json()["department_id"]) == (
        admin_a.tenant_id,
        "manager",
        lab.id,
    )


def test_an_invite_works_once(client: TestClient, admin_a: Context, auth: Auth):
    code = _invite(client, admin_a, auth)["code"]
    first = {"username": "bob", "password": TEST_PASSWORD, "invite_code": code}
    assert client.post("/api/auth/register", json=first).status_code == 201
    second = {"username": "carol", "password": TEST_PASSWORD, "invite_code": code}
    assert client.post("/api/auth/register", json=second).status_code == 404


def test_a_revoked_invite_is_refused(client: TestClient, admin_a: Context, auth: Auth):
    invite = _invite(client, admin_a, auth)
    revoked = client.delete(
        f"/api/users/invites/{invite['id']}",
        params={"tenant_id": admin_a.tenant_id},
        headers=auth(admin_a),
    )
    assert revoked.status_code == 204
    body = {"username": "bob", "password": TEST_PASSWORD, "invite_code": invite["code"]}
    assert client.post("/api/auth/register", json=body).status_code == 404


def test_invite_listing_never_shows_codes(client: TestClient, admin_a: Context, auth: Auth):
    code = _invite(client, admin_a, auth)["code"]
    listed = client.get(
        "/api/users/invites", params={"tenant_id": admin_a.tenant_id}, headers=auth(admin_a)
    )
    assert listed.json()[0]["status"] == "open"
    assert code not in listed.text


def test_unknown_invite_code_offers_no_departments(client: TestClient, database: str):
    response = client.post("/api/auth/invite-departments", json={"invite_code": "made-up"})
    assert response.status_code == 404


def test_an_invite_code_in_the_query_string_is_not_accepted(client: TestClient, database: str):
    # Codes in URLs end up in proxy and access logs: the route takes them in the body only.
    response = client.get("/api/auth/invite-departments", params={"invite_code": "made-up"})
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("username", "password", "status"),
    # Too short is the schema's minLength (422); equal to the username is a rule across
    # two fields the schema cannot state (409).
    [("alice", "short", 422), ("alice-long-name", "alice-long-name", 409)],
    ids=["too-short", "equals-username"],
)
def test_weak_passwords_are_refused(
    client: TestClient, database: str, username: str, password: str, status: int
):
    body = {"username": username, "password": password, "organisation": "Org"}
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == status
    assert "password" in response.json()["detail"].lower()


def test_taken_username_is_409_and_reveals_nothing_else(client: TestClient, user_a: Context):
    body = {"username": user_a.actor_name, "password": TEST_PASSWORD, "organisation": "New Org"}
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 409
    assert response.json() == {"detail": "That username is taken; choose another."}
