"""The catalogue: departments, categories and items (unique names per tenant)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import created_at_column, id_type, tenant_fk, utcnow

__all__ = ["BARCODE_MAX", "NAME_MAX", "Category", "Department", "Item"]

NAME_MAX = 120
BARCODE_MAX = 64


class Department(SQLModel, table=True):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_departments_tenant_name"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    name: str = Field(max_length=NAME_MAX)
    is_default: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())


class Category(SQLModel, table=True):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_categories_tenant_name"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    name: str = Field(max_length=NAME_MAX)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())


class Item(SQLModel, table=True):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_items_tenant_name"),
        UniqueConstraint("tenant_id", "barcode", name="uq_items_tenant_barcode"),
        Index("ix_items_tenant_category", "tenant_id", "category_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    name: str = Field(max_length=NAME_MAX)
    barcode: str | None = Field(default=None, max_length=BARCODE_MAX)
    category_id: int | None = Field(
        default=None,
        sa_column=Column(id_type, ForeignKey("categories.id", ondelete="RESTRICT"), nullable=True),
    )
    notes: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
