"""Typed domain events, published after commit to whoever subscribed in this process.

Services call :func:`emit` inside their transaction; the event is delivered only once
the transaction has committed. Transports (the live dashboard bridge, Redis pub/sub,
the Celery alert trigger) register with :func:`subscribe`; services never know who
listens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session

from stock_saas.db import after_commit

__all__ = [
    "Event",
    "ExportFinished",
    "LowStockEntered",
    "LowStockRecovered",
    "StockChanged",
    "emit",
    "publish",
    "subscribe",
    "unsubscribe",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    tenant_id: int

    @property
    def type(self) -> str:
        return _TYPES[type(self)]

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

    @property
    def low(self) -> bool:
        return self.quantity < self.threshold


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


_TYPES: dict[type, str] = {
    StockChanged: "stock.changed",
    LowStockEntered: "stock.low",
    LowStockRecovered: "stock.recovered",
    ExportFinished: "export.finished",
}
EVENT_TYPES = tuple(_TYPES.values())

Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe(subscriber: Subscriber) -> None:
    with _lock:
        if subscriber not in _subscribers:
            _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
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
