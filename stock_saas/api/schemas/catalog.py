"""Departments, categories and items as the API shows and accepts them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from stock_saas.api.schemas.common import ApiModel, Barcode, Name, Note, TenantBody

__all__ = [
    "CategoryCreate",
    "CategoryPublic",
    "CategoryUpdate",
    "DepartmentCreate",
    "DepartmentPublic",
    "DepartmentUpdate",
    "ItemPublic",
    "ItemUpdate",
]


class DepartmentCreate(TenantBody):
    name: Name


class DepartmentUpdate(ApiModel):
    name: Name


class DepartmentPublic(BaseModel):
    id: int
    name: str
    is_default: bool
    item_count: int = Field(0, description="Stock levels held in this department.")
    low_count: int = Field(0, description="Of those, how many are below their threshold.")


class CategoryCreate(TenantBody):
    name: Name


class CategoryUpdate(ApiModel):
    name: Name


class CategoryPublic(BaseModel):
    id: int
    name: str
    item_count: int = 0


class ItemUpdate(ApiModel):
    """Catalogue fields of an item; omitted fields stay, an empty barcode/category clears."""

    name: Name | None = None
    barcode: Barcode | None = None
    category: Name | None = Field(None, description="A category name; empty or null clears it.")
    notes: Note | None = None


class ItemPublic(BaseModel):
    id: int
    name: str
    barcode: str | None
    category_id: int | None
    category: str | None
    notes: str
