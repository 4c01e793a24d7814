"""Stock levels, movements and audit entries as the API shows and accepts them."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

from stock_saas.api.schemas.common import (
    Barcode,
    DepartmentRef,
    Id,
    Name,
    NewQuantity,
    Note,
    Quantity,
    TenantBody,
    Threshold,
    UtcDatetime,
)

__all__ = [
    "AddStockRequest",
    "AuditEntryPublic",
    "AuditPage",
    "MoveRequest",
    "MovementPublic",
    "StatusReport",
    "StockPage",
    "StockRowPublic",
    "TransferPublic",
    "TransferRequest",
]


class AddStockRequest(TenantBody):
    """Add units of an item (created with its department and category when missing)."""

    name: Name
    quantity: NewQuantity
    threshold: Threshold | None = Field(None, description="Set the low-stock threshold.")
    department: Name | None = Field(None, description="Department name; default department.")
    category: Name | None = None
    barcode: Barcode | None = None
    note: Note = ""


class _ItemChoice(TenantBody):
    name: Name | None = Field(None, description="The item's name (or give item_id).")
    item_id: Id | None = Field(None, description="The item's id (or give name).")
    quantity: Quantity
    note: Note = ""

    @model_validator(mode="after")
    def _one_item(self) -> Self:
        if (self.name is None) == (self.item_id is None):
            raise ValueError("give exactly one of name and item_id")
        return self

    @property
    def item(self) -> int | str:
        return self.item_id if self.item_id is not None else str(self.name)


class MoveRequest(_ItemChoice):
    """Issue or return units of one item in one department."""

    department: DepartmentRef | None = Field(
        None, description="Department id or name; the default department when omitted."
    )


class TransferRequest(_ItemChoice):
    from_department: DepartmentRef
    to_department: DepartmentRef


class MovementPublic(BaseModel):
    """One stock level after a movement."""

    item_id: int
    name: str
    department_id: int
    department: str
    delta: int
    quantity: int
    threshold: int
    low: bool
    audit_id: int
    created_item: bool = False
    created_department: bool = False
    created_category: bool = False


class TransferPublic(BaseModel):
    source: MovementPublic
    destination: MovementPublic


class StockRowPublic(BaseModel):
    """One stock level: an item in a department."""

    stock_level_id: int
    item_id: int
    name: str
    barcode: str | None
    category_id: int | None
    category: str | None
    department_id: int
    department: str
    quantity: int
    threshold: int
    low: bool


class StockPage(BaseModel):
    items: list[StockRowPublic]
    total: int = Field(description="Matching stock levels in all pages.")


class StatusReport(StockPage):
    low_count: int = Field(description="How many stock levels (in the filter) are low.")


class AuditEntryPublic(BaseModel):
    id: int
    created_at: UtcDatetime
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    action: str
    delta: int
    quantity_after: int
    threshold: int
    actor_id: int | None
    actor_name: str
    source: str
    note: str


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic]
    total: int
