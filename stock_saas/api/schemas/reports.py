"""Request bodies of the reports routes: the digest opt-in and the organisation's zone."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from stock_saas.api.schemas.common import Flag, TenantPatch
from stock_saas.services.reports import time_zones

__all__ = ["DigestScheduleUpdate", "DigestUpdate"]


def _known_zone(name: str) -> str:
    # Exactly the schema's enum (no stripping): the service's own check, raised as a 422.
    if name not in time_zones():
        raise ValueError("is not a time zone we know; use an IANA name such as Europe/Berlin")
    return name


class DigestUpdate(TenantPatch):
    """Turn your own weekly reorder digest on or off."""

    enabled: Flag = Field(description="true: send me the reorder list every Monday 07:00.")


class DigestScheduleUpdate(TenantPatch):
    """The organisation's time zone, which times the digest (admin)."""

    time_zone: Annotated[
        str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_zone)
    ] = Field(
        description="An IANA time zone name, e.g. Europe/Berlin or America/New_York.",
        json_schema_extra={"enum": list(time_zones())},
    )
