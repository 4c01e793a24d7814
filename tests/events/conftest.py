"""Event tests: the bus started on the test's database, a collecting consumer, a local
webhook receiver and the API served by uvicorn on a port of our range (8400-8499)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.services import events
from stock_saas.services.events import Envelope
from stock_saas.tasks.celery_app import app as celery_app
from tests.support.ports import free_port as shared_free_port
from tests.support.servers import redis_db

PORTS = range(8400, 8500)
REDIS_TEST_URL = redis_db(14)
WAIT_SECONDS = 20.0  # an upper bound for "eventually", never a speed requirement


def free_port() -> int:
    return shared_free_port(PORTS, shuffle=True)


class Collector:
    """A bus consumer that remembers every envelope and lets a test wait for one."""

    def __init__(self) -> None:
        self.seen: list[Envelope] = []
        self._changed = threading.Condition()

    def __call__(self, envelope: Envelope) -> None:
        with self._changed:
            self.seen.append(envelope)
            self._changed.notify_all()

    def wait_for(self, matches: Callable[[Envelope], bool]) -> Envelope:
        deadline = time.monotonic() + WAIT_SECONDS
        with self._changed:
            while True:
                found = [e for e in self.seen if matches(e)]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                assert left > 0, f"no matching event; saw {[e.id for e in self.seen]}"
                self._changed.wait(left)

    def ids(self) -> list[str]:
        with self._changed:
            return [e.id for e in self.seen]


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., None]:
    """``settings_env(NAME=value, ...)``: set environment variables and re-read Settings."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    monkeypatch.setenv("SECRET_KEY", "events-test-secret-key-" + "x" * 20)
    monkeypatch.delenv("SECRET_STORE_FILE", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    return apply


@pytest.fixture
def bus(database: str, settings_env: Callable[..., None]) -> Iterator[Collector]:
    """The event bus running on this test's database with the default transport."""
    collector = Collector()
    events.stop_bus()
    events.subscribe(collector)
    events.start_bus()
    yield collector
    events.unsubscribe(collector)
    events.stop_bus()


@dataclass
class Receiver:
    """A local webhook receiver: records requests, answers with the next of ``statuses``
    while there are any, then with ``status``."""

    port: int
    status: int = 200
    statuses: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def wait_for_count(self, count: int) -> list[dict[str, Any]]:
        deadline = time.monotonic() + WAIT_SECONDS
        with self.changed:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.requests)} requests, expected {count}"
                self.changed.wait(left)
            return list(self.requests)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.changed:
                state.requests.append(
                    {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
                )
                state.changed.notify_all()
                status = state.statuses.pop(0) if state.statuses else state.status
            self.send_response(status)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", state.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def api_server(bus: Collector) -> Iterator[str]:
    """The REST API under uvicorn in a thread (SSE needs a real server); its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def eager_webhooks(
    bus: Collector, settings_env: Callable[..., None]
) -> Iterator[Callable[..., None]]:
    """Webhooks to loopback receivers with Celery tasks run in place (retries without
    waiting); ``eager_webhooks(NAME=value)`` changes more settings."""
    settings_env(
        WEBHOOK_ALLOW_LOOPBACK="1", WEBHOOK_RETRY_BASE_SECONDS="0", WEBHOOK_MAX_ATTEMPTS="10"
    )
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield settings_env
    celery_app.conf.task_always_eager = was
