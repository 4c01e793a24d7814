"""Adjusting stock to the shelf: ``POST /api/items/adjust`` (manager)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from stock_saas.api.deps import CurrentContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import AdjustRequest
from stock_saas.services import stock
from stock_saas.services.stock import StockChange

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["items"], responses=ERROR_RESPONSES)

Adjustment = Annotated[AdjustRequest, tenant_body(AdjustRequest)]


@router.post("/items/adjust", responses=error_responses(404, 409))
def adjust_stock(body: Adjustment, ctx: CurrentContext) -> StockChange:
    """Set a stock level to the ``counted`` quantity, or change it by ``delta``, with a
    reason (manager). Audited as ``adjust`` with its reason and note; 409 and nothing
    changed when the level would go below zero."""
    return stock.adjust_stock(
        ctx=ctx,
        item=body.item,
        department=body.department,
        counted=body.counted,
        delta=body.delta,
        reason=body.reason,
        note=body.note,
    )
