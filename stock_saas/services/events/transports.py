"""The three transports of the bus: Redis pub/sub, PostgreSQL NOTIFY, an audit tail.

Transports are pure I/O: ``carries`` says which events the bus must hand to ``publish``,
which sends wire messages; ``listen`` runs in the bus's listener thread until ``stop`` is
set, reconnecting after errors, and hands every raw message it receives to ``receive``.
The bus decodes them and drops its own echoes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import psycopg
import redis

from stock_saas.config import get_settings
from stock_saas.db import normalize_url
from stock_saas.services.events import log as event_log
from stock_saas.services.events import relay
from stock_saas.services.events.reconnects import Connected

__all__ = ["AuditTail", "PostgresNotify", "Receive", "RedisPubSub", "transport_for_settings"]

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
NOTIFY_MAX_BYTES = 7900  # PostgreSQL's payload limit is 8000 bytes
Receive = Callable[[str | bytes], None]  # one wire message, as event_log.encode wrote it


# The batch in its order: notifications of one transaction are delivered in the order sent.
@cache
def _notify_all(count: int) -> str:
    # Plain text parameters, not one text[] (quoting a JSON payload into an array literal
    # cost more than the round trip); one statement text per batch size, prepared by
    # psycopg once it repeats.
    rows = ", ".join(f"({i}, %s)" for i in range(count))
    return (  # only integers and placeholders are formatted in: no value reaches the text
        f"SELECT pg_notify(%s, payload) FROM (VALUES {rows}) AS batch(position, payload)"  # noqa: S608
        " ORDER BY position"
    )


NOTIFY_CHANNEL = "stock_saas_events"


def transport_for_settings() -> RedisPubSub | PostgresNotify | AuditTail:
    """The transport this deployment's Settings call for."""
    settings = get_settings()
    url = normalize_url(settings.database_url)
    if settings.redis_url:
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        return RedisPubSub(settings.redis_url, f"stock-saas:events:{digest}")
    if url.startswith("postgresql"):
        return PostgresNotify(url, NOTIFY_CHANNEL)
    return AuditTail(settings.event_tail_interval_seconds)


class RedisPubSub:
    """One channel per database; the tenant travels in the payload."""

    name = "redis"
    publishes = True

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._client: Any = None

    def carries(self, envelope: event_log.Envelope) -> bool:
        return True

    def publish(self, messages: list[str]) -> None:
        if self._client is None:
            self._client = redis.Redis.from_url(self.url, socket_timeout=5)
        pipe = self._client.pipeline(transaction=False)
        for message in messages:
            pipe.publish(self.channel, message)
        try:
            pipe.execute()
        except redis.RedisError:
            self._client = None  # reconnect next time
            raise

    def listen(self, stop: threading.Event, receive: Receive, connected: Connected) -> None:
        while not stop.is_set():
            pubsub = None
            try:
                client = redis.Redis.from_url(self.url, socket_keepalive=True)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                announced = False
                while not stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None and message["type"] == "message":
                        receive(message["data"])
                    if not announced and pubsub.subscribed:  # Redis confirmed it
                        announced = True
                        connected()
            except redis.RedisError:
                log.warning("Redis event listener lost its connection; retrying", exc_info=True)
                stop.wait(RECONNECT_SECONDS)
            finally:
                if pubsub is not None:
                    pubsub.close()


class PostgresNotify:
    """``NOTIFY`` after commit with the event as payload; one ``LISTEN`` connection.

    ``publish`` is only called from the bus's one publisher thread per process: it keeps
    one autocommit connection of its own (no pool checkout per batch), opened again after
    an error or in a forked child."""

    name = "notify"
    publishes = True

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._connection: tuple[int, psycopg.Cursor[Any]] | None = None

    @property
    def _libpq_url(self) -> str:
        """The SQLAlchemy URL as psycopg's own connect takes it."""
        return self.url.replace("postgresql+psycopg://", "postgresql://", 1)

    def _publishing_cursor(self) -> psycopg.Cursor[Any]:
        if self._connection is None or self._connection[0] != os.getpid():
            connection = psycopg.connect(self._libpq_url, autocommit=True)
            self._connection = (os.getpid(), connection.cursor())
        return self._connection[1]

    def carries(self, envelope: event_log.Envelope) -> bool:
        return True

    def publish(self, messages: list[str]) -> None:
        """One statement (one round trip, one transaction) for the whole batch, in order."""
        fitting = [m for m in messages if len(m.encode()) <= NOTIFY_MAX_BYTES]
        if len(fitting) < len(messages):
            log.warning("%d events too large for NOTIFY; dropped", len(messages) - len(fitting))
        if not fitting:
            return
        cursor = self._publishing_cursor()
        try:
            cursor.execute(_notify_all(len(fitting)), [self.channel, *fitting])
        except psycopg.Error:
            self._connection = None  # a fresh connection for the next batch
            cursor.connection.close()
            raise

    def close(self) -> None:
        """Close the publishing connection (the publisher thread, as it stops)."""
        found, self._connection = self._connection, None
        if found is not None and found[0] == os.getpid():
            found[1].connection.close()

    def listen(self, stop: threading.Event, receive: Receive, connected: Connected) -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(self._libpq_url, autocommit=True) as connection:
                    connection.execute(f'LISTEN "{self.channel}"')
                    connected()
                    while not stop.is_set():
                        for notify in connection.notifies(timeout=0.5):
                            receive(notify.payload)
            except psycopg.Error:
                log.warning("LISTEN connection lost; retrying", exc_info=True)
                stop.wait(RECONNECT_SECONDS)


class AuditTail:
    """Polls the audit log by id: publishing a stock event is the commit itself. Internal
    events (no audit row) are written to the relay table, polled the same way."""

    name = "audit-tail"
    publishes = True  # internal events only (see carries)

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def carries(self, envelope: event_log.Envelope) -> bool:
        return envelope.event.internal

    def publish(self, messages: list[str]) -> None:
        relay.relay(messages)

    def listen(self, stop: threading.Event, receive: Receive, connected: Connected) -> None:
        # Nothing to re-sync after an error: the next poll resumes after the last ids read.
        last_id: int | None = None
        last_relayed: int | None = None
        while not stop.is_set():
            try:
                if last_id is None or last_relayed is None:
                    last_id, last_relayed = event_log.latest_audit_id(), relay.latest_relay_id()
                last_id = self._audit_rows(last_id, receive)
                for relayed_id, message in relay.relayed_after(last_relayed):
                    receive(message)
                    last_relayed = relayed_id
            except Exception:  # e.g. the database file is being migrated
                log.warning("audit tail failed; retrying", exc_info=True)
            stop.wait(self.interval)

    def _audit_rows(self, last_id: int, receive: Receive) -> int:
        while True:
            found = event_log.tail(after_id=last_id)
            for envelope in found:
                receive(event_log.encode(envelope, origin=self.name))
                position = envelope.position
                if position is not None:
                    last_id = max(last_id, position[0])
            if len(found) < 500:
                return last_id
