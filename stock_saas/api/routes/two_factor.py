"""Two-factor sign-in (TOTP): your own set-up (anyone), and an admin's reset of a member's.

Turning it on: ``POST /api/users/me/two-factor`` (the secret and its QR code, once), then
``POST /api/users/me/two-factor/confirm`` with a code from the app (ten recovery codes,
once). From then on ``POST /api/token`` needs ``otp``. README "Two-factor sign-in".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import Field

from stock_saas.api.deps import CurrentContext, TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX
from stock_saas.api.schemas.common import ApiModel
from stock_saas.services import people
from stock_saas.services.people import RecoveryCodes, TwoFactorSetup, TwoFactorStatus

__all__ = ["router"]

router = APIRouter(prefix="/api/users", tags=["two-factor"], responses=ERROR_RESPONSES)


class TwoFactorCode(ApiModel):
    code: str = Field(
        min_length=6,
        max_length=40,
        pattern=r"^[0-9A-Za-z -]+$",
        description="A 6-digit code from the app, or (to turn it off) a recovery code",
    )


@router.get("/me/two-factor")
def two_factor_status(ctx: CurrentContext) -> TwoFactorStatus:
    """Whether your two-factor sign-in is on, and how many recovery codes are left."""
    return people.two_factor_status(ctx=ctx)


@router.post("/me/two-factor", status_code=status.HTTP_201_CREATED, responses=error_responses(409))
def start_two_factor(ctx: CurrentContext) -> TwoFactorSetup:
    """A new secret to add to an authenticator app (text, otpauth URI and QR code), once."""
    return people.start_two_factor(ctx=ctx)


@router.post("/me/two-factor/confirm", responses=error_responses(403, 409))
def confirm_two_factor(body: TwoFactorCode, ctx: CurrentContext) -> RecoveryCodes:
    """Turn it on with a code from the app; the answer holds ten recovery codes, once."""
    return people.confirm_two_factor(ctx=ctx, code=body.code)


@router.post(
    "/me/two-factor/disable",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(409),
)
def disable_two_factor(body: TwoFactorCode, ctx: CurrentContext) -> Response:
    """Turn it off, with a current code or a recovery code."""
    people.disable_two_factor(ctx=ctx, code=body.code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{user_id}/two-factor",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def reset_two_factor(
    user_id: Annotated[int, Path(ge=1, le=ID_MAX)], ctx: TenantContext
) -> Response:
    """Turn off a member's two-factor sign-in (they lost their phone and codes; admin,
    logged). They sign in with their password alone until they set it up again."""
    people.reset_two_factor(ctx=ctx, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
