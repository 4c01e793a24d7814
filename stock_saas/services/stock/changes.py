"""What a stock movement returns, and the events it publishes."""

from __future__ import annotations

from datetime import datetime

from pydantic import computed_field

from stock_saas.models import AdjustReason, MovementAction
from stock_saas.services.core import Context, View
from stock_saas.services.events import Event, StockChanged, crossing_of

__all__ = ["StockChange", "Transfer", "change_events"]


class StockChange(View):
    """One stock level after a movement."""

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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


class Transfer(View):
    source: StockChange
    destination: StockChange


def change_events(
    ctx: Context,
    change: StockChange,
    action: MovementAction,
    *,
    was_low: bool,
    created_at: datetime,
    reason: AdjustReason | None = None,
) -> list[Event]:
    """The events one movement publishes: always StockChanged, plus a low-stock crossing."""
    changed = StockChanged(
        tenant_id=ctx.tenant_id,
        audit_id=change.audit_id,
        stock_level_id=change.stock_level_id,
        item_id=change.item_id,
        item_name=change.name,
        department_id=change.department_id,
        department_name=change.department,
        action=action.value,
        delta=change.delta,
        quantity=change.quantity,
        threshold=change.threshold,
        source=ctx.source.value,
        actor=ctx.actor_name,
        created_at=created_at.isoformat(),
        reason="" if reason is None else reason.value,
    )
    crossing = crossing_of(changed, was_low=was_low)
    return [changed] if crossing is None else [changed, crossing]
