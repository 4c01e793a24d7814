"""Events: what changed, with deployment-wide ids, carried to every process.

- :mod:`.types`: the typed events, their names and the one low-stock crossing rule;
  services :func:`emit` them inside a transaction and they go out after commit.
- :mod:`.log`: ids and the wire form, and events rebuilt from the audit log (SSE resume,
  the embedded transport).
- :mod:`.bus` over :mod:`.transports`: every process's events to every consumer
  (:func:`subscribe`), each at most once per process; internal events (a catalog
  change) only to consumers that ask for them, never to SSE streams or webhooks.
"""

from stock_saas.services.events.bus import (
    install_publisher,
    running_transport,
    subscribe,
    transport_for_settings,
    unsubscribe,
)
from stock_saas.services.events.bus import start as start_bus
from stock_saas.services.events.bus import stop as stop_bus
from stock_saas.services.events.log import (
    IMPORT_NOTE_PREFIX,
    Envelope,
    Position,
    decode,
    encode,
    latest_audit_id,
    parse_position,
    replay,
    tail,
)
from stock_saas.services.events.reconnects import off_reconnect, on_reconnect
from stock_saas.services.events.types import (
    EVENT_TYPES,
    CatalogChanged,
    Event,
    EventType,
    ExportFinished,
    InternalEventType,
    LowStockEntered,
    LowStockRecovered,
    StockChanged,
    StockImported,
    crossing_of,
    emit,
    publish,
    subscribe_here,
    unsubscribe_here,
)

__all__ = [
    "EVENT_TYPES",
    "IMPORT_NOTE_PREFIX",
    "CatalogChanged",
    "Envelope",
    "Event",
    "EventType",
    "ExportFinished",
    "InternalEventType",
    "LowStockEntered",
    "LowStockRecovered",
    "Position",
    "StockChanged",
    "StockImported",
    "crossing_of",
    "decode",
    "emit",
    "encode",
    "install_publisher",
    "latest_audit_id",
    "off_reconnect",
    "on_reconnect",
    "parse_position",
    "publish",
    "replay",
    "running_transport",
    "start_bus",
    "stop_bus",
    "subscribe",
    "subscribe_here",
    "tail",
    "transport_for_settings",
    "unsubscribe",
    "unsubscribe_here",
]
