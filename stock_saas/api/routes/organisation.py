"""Your organisation: its name, time zone and security policy (``GET``, anyone), and the
policy "require two-factor sign-in for every admin and manager" (``PATCH``, an admin).
README "Two-factor sign-in"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas.common import Flag, TenantPatch
from stock_saas.services import people
from stock_saas.services.people import OrganisationSettings

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["organisation"], responses=ERROR_RESPONSES)


class OrganisationUpdate(TenantPatch):
    """The organisation's two-factor policy (admin)."""

    require_two_factor: Flag = Field(
        description="true: every admin and manager signs in with a second factor; those "
        "without one are signed out and set it up at their next sign-in (on the web)."
    )


OrganisationChange = Annotated[OrganisationUpdate, tenant_body(OrganisationUpdate)]


@router.get("/organisation")
def organisation_settings(ctx: TenantContext) -> OrganisationSettings:
    """Your organisation's name, time zone and whether it requires two-factor sign-in."""
    return people.organisation_settings(ctx=ctx)


@router.patch("/organisation", responses=error_responses(409))
def update_organisation(body: OrganisationChange, ctx: CurrentContext) -> OrganisationSettings:
    """Require two-factor sign-in for every admin and manager, or stop (an admin, signed in
    as a person; to turn it on, your own two-factor sign-in must be on, else 409). Turning
    it on signs out the admins and managers without a second factor; logged."""
    return people.set_two_factor_required(ctx=ctx, required=body.require_two_factor)
