"""The one event path across processes: publishers → a transport → every consumer.

Services publish typed events after commit (:mod:`.types`). A process
that changes data calls :func:`install_publisher` (the CLI, the API, Celery workers and
the web app do): each of its events gets its deployment-wide id (:mod:`.log`), goes
to this process's consumers at once, and is handed to the transport by a background
thread. A process that serves consumers (live dashboards, SSE, the webhook dispatcher)
calls :func:`start`, which also listens to the transport. Consumers call
:func:`subscribe` and get every event of every tenant, each at most once per process,
whichever way it came (their own process's events come back through the transport and
are dropped by id), and filter by ``event.tenant_id`` themselves.

Transports, chosen from Settings:

- ``REDIS_URL`` set: Redis pub/sub, one channel per database (tenant in the payload);
- PostgreSQL without Redis: ``NOTIFY``/``LISTEN`` on channel ``stock_saas_events``;
- SQLite without Redis (the embedded default): a tail of the audit log by id every
  ``EVENT_TAIL_INTERVAL_SECONDS``; stock changes and low crossings are rebuilt from audit
  rows, so even ``python inventory.py issue …`` in another terminal shows up live.
  ``export.finished`` is not an audit row: on this transport it stays in its process.
  Internal events (``catalog.changed``) are no audit rows either: on this transport they
  travel through the small ``event_relay`` table (:mod:`.relay`).

Delivery is best effort and live: a consumer that was down misses events (SSE clients
resume from the audit log with ``Last-Event-ID``).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from stock_saas.services.events import log as event_log
from stock_saas.services.events import types as events
from stock_saas.services.events.log import Envelope
from stock_saas.services.events.reconnects import Connected, connection_watch
from stock_saas.services.events.transports import transport_for_settings

__all__ = [
    "ORIGIN",
    "envelope_of",
    "install_publisher",
    "running_transport",
    "start",
    "stop",
    "subscribe",
    "transport_for_settings",
    "unsubscribe",
]

log = logging.getLogger(__name__)

ORIGIN = uuid.uuid4().hex  # this process, on the wire


def _new_origin_after_fork() -> None:
    # Forked workers (granian, gunicorn) must not share the parent's ORIGIN, or each
    # would drop the others' events as its own echoes.
    global ORIGIN
    ORIGIN = uuid.uuid4().hex


os.register_at_fork(after_in_child=_new_origin_after_fork)
SEEN_WINDOW = 50_000  # ids remembered to drop an event that arrives a second time
Consumer = Callable[[Envelope], None]

_consumers: dict[Consumer, bool] = {}  # consumer -> also gets internal events
_consumers_lock = threading.Lock()
_seen: OrderedDict[str, None] = OrderedDict()
_seen_lock = threading.Lock()
_last_change = threading.local()  # stock level id -> audit id of its last stock.changed


# ---- consumers ----------------------------------------------------------------------


def subscribe(consumer: Consumer, *, internal: bool = False) -> None:
    """Call ``consumer`` with every event of the deployment (from any thread; be quick).
    Internal events (``event.internal``) only with ``internal=True``: consumers that show
    or send events outside the deployment (SSE, webhooks) never see them."""
    with _consumers_lock:
        _consumers[consumer] = internal


def unsubscribe(consumer: Consumer) -> None:
    with _consumers_lock:
        _consumers.pop(consumer, None)


def _first_time(event_id: str) -> bool:
    with _seen_lock:
        if event_id in _seen:
            return False
        _seen[event_id] = None
        if len(_seen) > SEEN_WINDOW:
            _seen.popitem(last=False)
        return True


def _receive(message: str | bytes) -> None:
    """A wire message from the transport: decoded, and dropped if this process sent it."""
    decoded = event_log.decode(message)
    if decoded is None:
        log.warning("ignoring an unrecognised event message")
        return
    envelope, origin = decoded
    if origin != ORIGIN:
        _deliver(envelope)


def _deliver(envelope: Envelope) -> None:
    if not _first_time(envelope.id):
        return
    with _consumers_lock:
        internal = envelope.event.internal
        consumers = [c for c, wanted in _consumers.items() if wanted or not internal]
    for consumer in consumers:
        try:
            consumer(envelope)
        except Exception:  # one broken consumer must not starve the others
            log.exception("event consumer %r failed for %s", consumer, envelope.id)


# ---- publishing ---------------------------------------------------------------------


def envelope_of(event: events.Event) -> Envelope | None:
    """``event`` with its id; None for in-process-only events (e.g. export requests)."""
    if isinstance(event, events.StockChanged):
        _last_changes()[event.stock_level_id] = event.audit_id
        return Envelope(str(event.audit_id), event)
    if isinstance(event, event_log.CROSSABLE):
        # A crossing is published right after its stock.changed, in the same thread.
        audit_id = _last_changes().get(event.stock_level_id)
        return None if audit_id is None else Envelope(f"{audit_id}.1", event)
    if isinstance(event, events.StockImported):
        return Envelope(str(event.audit_id), event)
    if isinstance(event, events.ExportFinished):
        return Envelope(f"export:{event.task_id}:{event.status}", event)
    if isinstance(event, events.CatalogChanged):
        return Envelope(f"catalog:{uuid.uuid4().hex}", event)
    return None


def _last_changes() -> dict[int, int]:
    ids: dict[int, int] | None = getattr(_last_change, "ids", None)
    if ids is None or len(ids) > 1000:  # only the latest change of a level matters
        ids = _last_change.ids = {}
    return ids


class Transport(Protocol):
    name: str
    publishes: bool

    def carries(self, envelope: Envelope) -> bool: ...

    def publish(self, messages: list[str]) -> None: ...

    def listen(
        self, stop: threading.Event, receive: Callable[[str | bytes], None], connected: Connected
    ) -> None: ...


class _Publisher:
    """Hands this process's events to the transport from one background thread."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.pid = os.getpid()
        self.outbox: queue.SimpleQueue[Envelope | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="event-publisher", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            first = self.outbox.get()
            batch = [first]
            while len(batch) < 500:
                try:
                    batch.append(self.outbox.get_nowait())
                except queue.Empty:
                    break
            envelopes = [e for e in batch if e is not None]
            if envelopes:
                try:
                    self.transport.publish([event_log.encode(e, ORIGIN) for e in envelopes])
                except Exception:  # the change is committed; live views catch up on reload
                    log.exception(
                        "could not publish %d events on %s", len(envelopes), self.transport.name
                    )
            if None in batch:
                closing = getattr(self.transport, "close", None)
                if closing is not None:
                    closing()  # e.g. NOTIFY's own connection
                return

    def close(self, timeout: float = 5.0) -> None:
        self.outbox.put(None)
        self.thread.join(timeout)


class _Bus:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.transport: Transport | None = None
        self.publisher: _Publisher | None = None
        self.listener: threading.Thread | None = None
        self.stopping = threading.Event()


_bus = _Bus()


def _publisher() -> _Publisher | None:
    """This process's publisher thread, started on first use (and again after a fork)."""
    publisher = _bus.publisher
    if publisher is not None and publisher.pid == os.getpid():
        return publisher
    with _bus.lock:
        transport = _bus.transport
        if transport is None or not transport.publishes:
            return None
        if _bus.publisher is None or _bus.publisher.pid != os.getpid():
            _bus.publisher = _Publisher(transport)
        return _bus.publisher


def _on_local_event(event: events.Event) -> None:
    envelope = envelope_of(event)
    if envelope is None:
        return
    _deliver(envelope)
    transport = _bus.transport
    if transport is None or not transport.carries(envelope):
        return  # e.g. a stock event on the audit tail: its audit row is the message
    publisher = _publisher()
    if publisher is not None:
        publisher.outbox.put(envelope)


def install_publisher() -> None:
    """Send this process's events to the transport too (idempotent, cheap: the thread
    starts with the first event)."""
    with _bus.lock:
        if _bus.transport is None:
            _bus.transport = transport_for_settings()
    events.subscribe_here(_on_local_event)


def start() -> None:
    """Publish and also listen: consumers of this process get every process's events."""
    install_publisher()
    with _bus.lock:
        if _bus.listener is not None and _bus.listener.is_alive():
            return
        transport = _bus.transport
        assert transport is not None
        _bus.stopping = threading.Event()
        _bus.listener = threading.Thread(
            target=transport.listen,
            args=(_bus.stopping, _receive, connection_watch()),
            name=f"event-listener-{transport.name}",
            daemon=True,
        )
        _bus.listener.start()


def running_transport() -> str | None:
    """The name of the transport in use ("redis", "notify", "audit-tail") or None."""
    return None if _bus.transport is None else _bus.transport.name


def stop() -> None:
    """Flush what is still to publish and stop listening (at exit, and between tests)."""
    events.unsubscribe_here(_on_local_event)
    with _bus.lock:
        _bus.stopping.set()
        listener, publisher = _bus.listener, _bus.publisher
        _bus.listener = _bus.publisher = _bus.transport = None
    if publisher is not None and publisher.pid == os.getpid():
        publisher.close()
    if listener is not None:
        listener.join(5.0)
    with _seen_lock:
        _seen.clear()


atexit.register(stop)
