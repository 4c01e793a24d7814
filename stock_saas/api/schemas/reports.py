"""Request bodies of the reports routes: the digest opt-in and the organisation's zone."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from stock_saas.api.schemas.common import TenantPatch, storable_text

__all__ = ["DigestScheduleUpdate", "DigestUpdate"]


class DigestUpdate(TenantPatch):
    """Turn your own weekly reorder digest on or off."""

    enabled: bool = Field(description="true: send me the reorder list every Monday 07:00.")


class DigestScheduleUpdate(TenantPatch):
    """The organisation's time zone, which times the digest (admin)."""

    time_zone: Annotated[
        str, StringConstraints(min_length=1, max_length=64), AfterValidator(storable_text)
    ] = Field(description="An IANA time zone name, e.g. Europe/Berlin or America/New_York.")
