"""Typed domain events, their names, and the one low-stock crossing rule.

Services call :func:`emit` inside their transaction; the event goes to this process's
local subscribers (:func:`subscribe_here`) once the transaction has committed, and from
there the bus (:mod:`.bus`) carries it to every process. Services never know who listens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from stock_saas.db import after_commit

__all__ = [
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "CatalogChanged",
    "Event",
    "EventType",
    "ExportFinished",
    "InternalEventType",
    "LowStockEntered",
    "LowStockRecovered",
    "StockChanged",
    "StockImported",
    "crossing_of",
    "emit",
    "publish",
    "subscribe_here",
    "unsubscribe_here",
]

log = logging.getLogger(__name__)


class EventType(StrEnum):
    """The names consumers see (SSE ``event:``, webhook ``X-StockSaas-Event``)."""

    STOCK_CHANGED = "stock.changed"
    STOCK_LOW = "stock.low"
    STOCK_RECOVERED = "stock.recovered"
    EXPORT_FINISHED = "export.finished"
    STOCK_IMPORTED = "stock.imported"


class InternalEventType(StrEnum):
    """Names that cross processes on the bus but never reach a consumer outside the
    deployment: the bus hands them only to consumers that subscribe with
    ``internal=True`` (live dashboards), never to SSE streams or webhooks."""

    CATALOG_CHANGED = "catalog.changed"


@dataclass(frozen=True, slots=True)
class Event:
    tenant_id: int

    @property
    def type(self) -> str:
        return _TYPES[type(self)].value

    @property
    def internal(self) -> bool:
        """True for events that stay inside the deployment (see InternalEventType)."""
        return isinstance(_TYPES[type(self)], InternalEventType)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True, slots=True)
class StockChanged(Event):
    audit_id: int
    stock_level_id: int
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    action: str
    delta: int
    quantity: int
    threshold: int
    source: str
    actor: str
    created_at: str = ""
    reason: str = ""  # why an ``adjust`` changed the level (AdjustReason), else empty

    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


@dataclass(frozen=True, slots=True)
class StockImported(Event):
    """A CSV import changed ``levels`` stock levels at once: one event, not one per level
    (consumers reload). ``audit_id`` is the import's last audit row, its position."""

    import_id: str
    audit_id: int
    levels: int
    source: str
    actor: str
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class LowStockEntered(Event):
    stock_level_id: int
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    quantity: int
    threshold: int


@dataclass(frozen=True, slots=True)
class LowStockRecovered(Event):
    stock_level_id: int
    item_id: int
    item_name: str
    department_id: int
    department_name: str
    quantity: int
    threshold: int


@dataclass(frozen=True, slots=True)
class ExportFinished(Event):
    task_id: str
    status: str
    rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CatalogChanged(Event):
    """A department or category of the tenant was created, renamed or deleted: open
    dashboards re-read their sidebar and filters. Internal: no audit row, no consumer
    outside the deployment."""


_TYPES: dict[type, EventType | InternalEventType] = {
    StockChanged: EventType.STOCK_CHANGED,
    LowStockEntered: EventType.STOCK_LOW,
    LowStockRecovered: EventType.STOCK_RECOVERED,
    ExportFinished: EventType.EXPORT_FINISHED,
    StockImported: EventType.STOCK_IMPORTED,
    CatalogChanged: InternalEventType.CATALOG_CHANGED,
}
EVENT_TYPES = tuple(t.value for t in EventType)  # what SSE and webhooks may carry
EVENT_CLASSES: dict[str, type[Event]] = {kind.value: cls for cls, kind in _TYPES.items()}


def crossing_of(change: StockChanged, *, was_low: bool) -> Event | None:
    """The low-stock crossing ``change`` caused, if any: the one rule (``quantity <
    threshold`` before and after) for the services and for events rebuilt from the log."""
    if change.low == was_low:
        return None
    crossing = LowStockEntered if change.low else LowStockRecovered
    return crossing(
        tenant_id=change.tenant_id,
        stock_level_id=change.stock_level_id,
        item_id=change.item_id,
        item_name=change.item_name,
        department_id=change.department_id,
        department_name=change.department_name,
        quantity=change.quantity,
        threshold=change.threshold,
    )


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe_here(subscriber: Subscriber) -> None:
    """Call ``subscriber`` with every event committed in THIS process (the bus, and the
    Celery triggers that must enqueue once per change, use it)."""
    with _lock:
        if subscriber not in _subscribers:
            _subscribers.append(subscriber)


def unsubscribe_here(subscriber: Subscriber) -> None:
    with _lock:
        if subscriber in _subscribers:
            _subscribers.remove(subscriber)


def publish(event: Event) -> None:
    """Hand ``event`` to every subscriber; one failing subscriber never blocks the rest."""
    with _lock:
        subscribers = list(_subscribers)
    for subscriber in subscribers:
        try:
            subscriber(event)
        except Exception:  # a broken listener must not undo a committed change
            log.exception("event subscriber %r failed for %s", subscriber, event.type)


def emit(session: Session, event: Event) -> None:
    """Publish ``event`` once ``session``'s transaction has committed."""
    after_commit(session, lambda: publish(event))
