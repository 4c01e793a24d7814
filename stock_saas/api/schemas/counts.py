"""What the count routes accept (they answer with the counts domain's own views)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from stock_saas.api.schemas.common import (
    ApiModel,
    DepartmentRef,
    Flag,
    GivenBarcode,
    Id,
    JsonInteger,
    NewQuantity,
    Note,
    TenantBody,
    TenantPatch,
    exactly_one,
)
from stock_saas.services.core import MAX_QUANTITY, View
from stock_saas.services.counts import MAX_ENTRIES, CountLineView, CountView, LineEntry

__all__ = ["CountLineInput", "CountLines", "CountList", "LinesRequest", "StartCountRequest"]


def _not_zero(value: int) -> int:
    if value == 0:
        raise ValueError("must not be 0")
    return value


ScanStep = Annotated[
    int,
    Field(
        ge=-MAX_QUANTITY,
        le=MAX_QUANTITY,
        description="Units to add to what was counted so far (a scan adds 1; -1 takes one back).",
        json_schema_extra={"not": {"const": 0}},
    ),
    JsonInteger,
    AfterValidator(_not_zero),
]


class StartCountRequest(TenantBody):
    """Start counting a department (the default department when omitted)."""

    department: DepartmentRef | None = None
    blind: Flag = Field(
        False, description="Hide the expected quantities from everyone until submitted."
    )
    note: Note = ""


class CountLineInput(ApiModel):
    """One row: the item (``item_id`` or ``barcode``) and ``counted`` (the quantity on the
    shelf) or ``add`` (units on top of what was counted so far)."""

    model_config = ConfigDict(
        json_schema_extra=exactly_one(("item_id", "barcode"), ("counted", "add"))
    )

    item_id: Id | None = None
    barcode: GivenBarcode | None = None
    counted: NewQuantity | None = None
    add: ScanStep | None = None

    @model_validator(mode="after")
    def _one_each(self) -> Self:
        if (self.item_id is None) == (self.barcode is None):
            raise ValueError("give exactly one of item_id and barcode")
        if (self.counted is None) == (self.add is None):
            raise ValueError("give exactly one of counted and add")
        return self

    def entry(self) -> LineEntry:
        return LineEntry(
            item_id=self.item_id, barcode=self.barcode, counted=self.counted, add=self.add
        )


class LinesRequest(TenantPatch):
    """Rows to record on an open count, all or nothing."""

    lines: list[CountLineInput] = Field(min_length=1, max_length=MAX_ENTRIES)


class CountLines(View):
    """The lines a request touched, as they are now."""

    lines: list[CountLineView]


class CountList(View):
    counts: list[CountView]
