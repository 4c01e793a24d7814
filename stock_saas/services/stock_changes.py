"""What a stock movement returns and which events it publishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stock_saas.services import events
from stock_saas.services.context import Context

__all__ = ["StockChange", "Transfer", "change_events"]


@dataclass(frozen=True, slots=True)
class StockChange:
    """The outcome of one movement on one stock level."""

    stock_level_id: int
    item_id: int
    name: str
    department_id: int
    department: str
    delta: int
    quantity: int
    threshold: int
    audit_id: int
    created_item: bool = False
    created_department: bool = False
    created_category: bool = False

    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


@dataclass(frozen=True, slots=True)
class Transfer:
    source: StockChange
    destination: StockChange


# ---- the one write path --------------------------------------------------------------


def change_events(
    ctx: Context, change: StockChange, action: str, *, was_low: bool, created_at: datetime
) -> list[events.Event]:
    """The events one movement publishes: always StockChanged, plus a low-stock crossing."""
    published: list[events.Event] = [
        events.StockChanged(
            tenant_id=ctx.tenant_id,
            audit_id=change.audit_id,
            stock_level_id=change.stock_level_id,
            item_id=change.item_id,
            item_name=change.name,
            department_id=change.department_id,
            department_name=change.department,
            action=action,
            delta=change.delta,
            quantity=change.quantity,
            threshold=change.threshold,
            source=ctx.source.value,
            actor=ctx.actor_name,
            created_at=created_at.isoformat(),
        )
    ]
    crossing: type[events.LowStockEntered] | type[events.LowStockRecovered] | None = None
    if change.low and not was_low:
        crossing = events.LowStockEntered
    elif was_low and not change.low:
        crossing = events.LowStockRecovered
    if crossing is not None:
        published.append(
            crossing(
                tenant_id=ctx.tenant_id,
                stock_level_id=change.stock_level_id,
                item_id=change.item_id,
                item_name=change.name,
                department_id=change.department_id,
                department_name=change.department,
                quantity=change.quantity,
                threshold=change.threshold,
            ),
        )
    return published
