"""The three transports of the bus: Redis pub/sub, PostgreSQL NOTIFY, an audit tail.

Transports are pure I/O: ``publish`` sends wire messages, ``listen`` runs in the bus's
listener thread until ``stop`` is set, reconnecting after errors, and hands every raw
message it receives to ``receive``. The bus decodes them and drops its own echoes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
import redis
from sqlalchemy import text

from stock_saas.db import autocommit_connection
from stock_saas.services.events import log as event_log
from stock_saas.services.events.reconnects import Connected

__all__ = ["AuditTail", "PostgresNotify", "Receive", "RedisPubSub"]

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
NOTIFY_MAX_BYTES = 7900  # PostgreSQL's payload limit is 8000 bytes
Receive = Callable[[str | bytes], None]  # one wire message, as event_log.encode wrote it


class RedisPubSub:
    """One channel per database; the tenant travels in the payload."""

    name = "redis"
    publishes = True

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._client: Any = None

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
    """``NOTIFY`` after commit with the event as payload; one ``LISTEN`` connection."""

    name = "notify"
    publishes = True

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel

    def publish(self, messages: list[str]) -> None:
        statement = text("SELECT pg_notify(:channel, :payload)")
        with autocommit_connection(self.url) as connection:
            for message in messages:
                if len(message.encode()) > NOTIFY_MAX_BYTES:
                    log.warning("event too large for NOTIFY; dropped")
                    continue
                connection.execute(statement, {"channel": self.channel, "payload": message})

    def listen(self, stop: threading.Event, receive: Receive, connected: Connected) -> None:
        libpq_url = self.url.replace("postgresql+psycopg://", "postgresql://", 1)
        while not stop.is_set():
            try:
                with psycopg.connect(libpq_url, autocommit=True) as connection:
                    connection.execute(f'LISTEN "{self.channel}"')
                    connected()
                    while not stop.is_set():
                        for notify in connection.notifies(timeout=0.5):
                            receive(notify.payload)
            except psycopg.Error:
                log.warning("LISTEN connection lost; retrying", exc_info=True)
                stop.wait(RECONNECT_SECONDS)


class AuditTail:
    """Polls the audit log by id; publishing is the commit itself."""

    name = "audit-tail"
    publishes = False

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def publish(self, messages: list[str]) -> None:  # the audit row is the message
        return None

    def listen(self, stop: threading.Event, receive: Receive, connected: Connected) -> None:
        # Nothing to re-sync after an error: the next poll resumes after the last id read.
        last_id: int | None = None
        while not stop.is_set():
            try:
                if last_id is None:
                    last_id = event_log.latest_audit_id()
                while True:
                    found = event_log.tail(after_id=last_id)
                    for envelope in found:
                        receive(event_log.encode(envelope, origin=self.name))
                        position = envelope.position
                        if position is not None:
                            last_id = max(last_id, position[0])
                    if len(found) < 500:
                        break
            except Exception:  # e.g. the database file is being migrated
                log.warning("audit tail failed; retrying", exc_info=True)
            stop.wait(self.interval)
