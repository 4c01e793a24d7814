"""People of a tenant (admin), invites (admin), and the caller's own profile (anyone)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import (
    ID_MAX,
    InviteCreate,
    MeUpdate,
    UserCreate,
    UserUpdate,
)
from stock_saas.services import people
from stock_saas.services.people import InviteView, NewInvite, UserView

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["users"], responses=ERROR_RESPONSES)

RowId = Annotated[int, Path(ge=1, le=ID_MAX)]
NewUser = Annotated[UserCreate, tenant_body(UserCreate)]
InviteBody = Annotated[InviteCreate, tenant_body(InviteCreate)]
UserChanges = Annotated[UserUpdate, tenant_body(UserUpdate)]
# About the caller alone: tenant_id is optional there, but must be theirs when sent.
MyChanges = Annotated[MeUpdate, tenant_body(MeUpdate, required=False)]


@router.get("/me")
def me(ctx: CurrentContext) -> UserView:
    """Who the token belongs to, as the database has it now."""
    return people.get_me(ctx=ctx)


# Declared before /users/{user_id} so "me" is not taken for an id.
@router.patch("/users/me")
def update_me(body: MyChanges, ctx: CurrentContext) -> UserView:
    """Change your own notification preference or e-mail (anyone)."""
    return people.update_me(ctx=ctx, **body.changes())


@router.get("/users")
def list_users(ctx: TenantContext) -> list[UserView]:
    """Everyone in your tenant (admin)."""
    return people.list_users(ctx=ctx)


@router.post("/users", status_code=status.HTTP_201_CREATED, responses=error_responses(404, 409))
def create_user(body: NewUser, ctx: CurrentContext) -> UserView:
    """Add someone to your tenant with a role and department (admin)."""
    return people.create_user(ctx=ctx, **body.model_dump(exclude={"tenant_id"}))


@router.patch("/users/{user_id}", responses=error_responses(404, 409))
def update_user(user_id: RowId, body: UserChanges, ctx: CurrentContext) -> UserView:
    """Change role, department, preference, e-mail or deactivate (admin); fields sent only."""
    return people.update_user(ctx=ctx, user_id=user_id, **body.changes())


@router.get("/users/invites", tags=["invites"])
def list_invites(ctx: TenantContext) -> list[InviteView]:
    """Your tenant's invites, newest first (admin). Codes are never shown again."""
    return people.list_invites(ctx=ctx)


@router.post(
    "/users/invites",
    tags=["invites"],
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404),
)
def create_invite(body: InviteBody, ctx: CurrentContext) -> NewInvite:
    """A single-use code to join your tenant with this role (admin); shown only now."""
    return people.create_invite(
        ctx=ctx, role=body.role, department_id=body.department_id, ttl_hours=body.ttl_hours
    )


@router.delete(
    "/users/invites/{invite_id}",
    tags=["invites"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404),
)
def revoke_invite(invite_id: RowId, ctx: TenantContext) -> None:
    """Revoke an unused invite (admin)."""
    people.revoke_invite(ctx=ctx, invite_id=invite_id)
