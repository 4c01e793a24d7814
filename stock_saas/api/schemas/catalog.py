"""What the catalogue routes accept (they answer with the services' own views)."""

from __future__ import annotations

from pydantic import Field

from stock_saas.api.schemas.common import Barcode, Name, Note, TenantBody, TenantPatch

__all__ = [
    "CategoryCreate",
    "CategoryUpdate",
    "DepartmentCreate",
    "DepartmentUpdate",
    "ItemUpdate",
]


class DepartmentCreate(TenantBody):
    name: Name


class DepartmentUpdate(TenantPatch):
    name: Name


class CategoryCreate(TenantBody):
    name: Name


class CategoryUpdate(TenantPatch):
    name: Name


class ItemUpdate(TenantPatch):
    """Catalogue fields of an item; omitted fields stay, an empty barcode/category clears."""

    name: Name | None = None
    barcode: Barcode | None = None
    category: Name | None = Field(None, description="A category name; empty or null clears it.")
    notes: Note | None = None
