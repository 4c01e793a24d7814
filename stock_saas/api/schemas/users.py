"""People, invites, registration and tokens as the API shows and accepts them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from stock_saas.api.schemas.common import (
    ApiModel,
    Email,
    Flag,
    Id,
    InviteCode,
    JsonInteger,
    Name,
    NewPassword,
    NewUsername,
    TenantBody,
    TenantPatch,
    given,
)
from stock_saas.services.core import Role
from stock_saas.services.people import MAX_TTL_HOURS, NotificationPreference

__all__ = [
    "Health",
    "InviteCheck",
    "InviteCreate",
    "MeUpdate",
    "RegisterRequest",
    "Token",
    "UserCreate",
    "UserUpdate",
]


class UserCreate(TenantBody):
    """An admin adds someone to their own tenant."""

    username: NewUsername
    password: NewPassword = Field(description="8 to 128 characters, not the username (409).")
    role: Role = Role.USER
    email: Email | None = None
    department_id: Id | None = None
    notification_preference: NotificationPreference = NotificationPreference.EMAIL


class UserUpdate(TenantPatch):
    """Only the fields sent change; ``null`` clears department and e-mail."""

    role: Role | None = None
    department_id: Id | None = None
    notification_preference: NotificationPreference | None = None
    email: Email | None = None
    is_active: Flag | None = None


class MeUpdate(TenantPatch):
    """What anyone may change about themselves."""

    notification_preference: NotificationPreference | None = None
    email: Email | None = None


class RegisterRequest(ApiModel):
    """Without an invite: a new organisation with you as admin. With one: join its tenant."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [given("invite_code"), given("organisation")]}
    )

    username: NewUsername
    password: NewPassword = Field(description="8 to 128 characters, not your username (409).")
    email: Email | None = None
    organisation: Name | None = None
    invite_code: InviteCode | None = None
    department_id: Id | None = None


class InviteCheck(ApiModel):
    """An invite code, sent in the body so it never lands in a URL or an access log."""

    invite_code: InviteCode


class InviteCreate(TenantBody):
    role: Role = Role.USER
    department_id: Id | None = None
    ttl_hours: Annotated[int, Field(ge=1, le=MAX_TTL_HOURS), JsonInteger] = 72


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)


class Health(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: str = Field(description="ok when every check passes, else degraded")
    database: str = Field(description="ok or error")
