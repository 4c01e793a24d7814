"""API keys (admin): ``GET|POST /api/keys``, ``DELETE /api/keys/{id}``.

``POST`` answers the key once; no other call ever shows it again (only its hash is kept).
Send it as ``Authorization: Bearer <key>``; README "API keys".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import Field

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX
from stock_saas.api.schemas.common import NOT_BLANK, Flag, JsonInteger, TenantBody
from stock_saas.models import KEY_NAME_MAX
from stock_saas.services import keys
from stock_saas.services.core import Role
from stock_saas.services.keys import ApiKeyView, NewApiKey

__all__ = ["router"]

router = APIRouter(prefix="/api/keys", tags=["keys"], responses=ERROR_RESPONSES)

KeyId = Annotated[int, Path(ge=1, le=ID_MAX)]


class KeyCreate(TenantBody):
    name: str = Field(
        min_length=1,
        max_length=KEY_NAME_MAX,
        pattern=NOT_BLANK,
        description="What uses the key (unique in your tenant); audit rows say key:<name>",
    )
    role: Role = Field(default=Role.USER, description="At most your own role")
    read_only: Flag = Field(default=False, description="true: 403 on anything that writes")
    expires_in_days: Annotated[int, Field(ge=1, le=keys.MAX_EXPIRY_DAYS), JsonInteger] | None = (
        Field(default=None, description="Omit for a key that never expires")
    )


NewKey = Annotated[KeyCreate, tenant_body(KeyCreate)]


@router.get("")
def list_api_keys(ctx: TenantContext) -> list[ApiKeyView]:
    """Every key of your tenant, newest first, without the keys themselves (admin)."""
    return keys.list_keys(ctx=ctx)


@router.post("", status_code=status.HTTP_201_CREATED, responses=error_responses(409))
def create_api_key(body: NewKey, ctx: CurrentContext) -> NewApiKey:
    """Make a key (a signed-in admin; a key cannot make keys). The answer holds the key, once."""
    return keys.create_key(
        ctx=ctx,
        name=body.name,
        role=body.role,
        read_only=body.read_only,
        expires_in_days=body.expires_in_days,
    )


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404))
def revoke_api_key(key_id: KeyId, ctx: TenantContext) -> Response:
    """Revoke a key at once: its next request is refused (admin)."""
    keys.revoke_key(ctx=ctx, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
