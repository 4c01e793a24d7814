"""What the stock routes accept (they answer with the services' own views)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from stock_saas.api.schemas.common import (
    Barcode,
    DepartmentRef,
    Id,
    JsonInteger,
    Name,
    NewQuantity,
    Note,
    Quantity,
    TenantBody,
    Threshold,
    exactly_one,
)
from stock_saas.services.core import MAX_QUANTITY
from stock_saas.services.stock import AdjustReason, StockPage

__all__ = ["AddStockRequest", "AdjustRequest", "MoveRequest", "StatusReport", "TransferRequest"]


def _not_zero(value: int) -> int:
    if value == 0:
        raise ValueError("must not be 0 (a change of nothing)")
    return value


SignedQuantity = Annotated[
    int,
    Field(
        ge=-MAX_QUANTITY,
        le=MAX_QUANTITY,
        description="A signed change in whole units, e.g. -2; never 0.",
        json_schema_extra={"not": {"const": 0}},
    ),
    JsonInteger,
    AfterValidator(_not_zero),
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
    model_config = ConfigDict(json_schema_extra=exactly_one(("name", "item_id")))

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


class AdjustRequest(TenantBody):
    """Adjust one stock level to the shelf, with a reason: exactly one of ``counted`` (the
    quantity now on the shelf) and ``delta`` (a signed change)."""

    model_config = ConfigDict(
        json_schema_extra=exactly_one(("name", "item_id"), ("counted", "delta"))
    )

    name: Name | None = Field(None, description="The item's name (or give item_id).")
    item_id: Id | None = Field(None, description="The item's id (or give name).")
    department: DepartmentRef | None = Field(
        None, description="Department id or name; the default department when omitted."
    )
    counted: NewQuantity | None = Field(
        None, description="The quantity on the shelf now; the level is set to it."
    )
    delta: SignedQuantity | None = None
    reason: AdjustReason = Field(
        description="Why: damaged, expired and lost only lower stock, found only raises it."
    )
    note: Note = ""

    @model_validator(mode="after")
    def _one_each(self) -> Self:
        if (self.name is None) == (self.item_id is None):
            raise ValueError("give exactly one of name and item_id")
        if (self.counted is None) == (self.delta is None):
            raise ValueError("give exactly one of counted and delta")
        return self

    @property
    def item(self) -> int | str:
        return self.item_id if self.item_id is not None else str(self.name)


class StatusReport(StockPage):
    """Stock levels with their low flags (``items``), and how many are low."""

    low_count: int = Field(description="How many stock levels (in the filter) are low.")
