"""What the stock routes accept (they answer with the services' own views)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

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
)
from stock_saas.services.stock import StockPage

__all__ = ["AddStockRequest", "MoveRequest", "StatusReport", "TransferRequest"]


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


class StatusReport(StockPage):
    """Stock levels with their low flags (``items``), and how many are low."""

    low_count: int = Field(description="How many stock levels (in the filter) are low.")
