"""The base of every record a service hands out: immutable, typed, and usable by the API
as a response model as it is (one shape per concept, not one per layer)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from stock_saas.services.core.clock import as_utc

__all__ = ["UtcDatetime", "View"]

UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
"""A timestamp that always carries its offset (SQLite reads them back naive)."""


class View(BaseModel):
    """A service's answer: frozen, built from rows or keyword arguments."""

    model_config = ConfigDict(frozen=True, from_attributes=True)
