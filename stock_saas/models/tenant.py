"""Tenants: one organisation each; every other table hangs off one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import false
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import created_at_column, id_type, utcnow

__all__ = ["Tenant"]


class Tenant(SQLModel, table=True):
    __tablename__ = "tenants"

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    # The unique handle operators use (CLI --tenant); people see display_name, which two
    # organisations may share (sign-up never reveals that a name is taken).
    name: str = Field(max_length=120, unique=True)
    display_name: str | None = Field(default=None, max_length=120)
    # IANA zone of the organisation: when "Monday 07:00" is for its weekly digest.
    time_zone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    # Admins and managers must sign in with a second factor (those without one set it up
    # inside their next sign-in).
    require_two_factor: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
