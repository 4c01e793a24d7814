"""Local stand-ins for the outside world: a Slack incoming webhook and an SMTP server.

Both record what reaches them. The Slack stand-in counts a message when its request
arrives, can answer with scripted statuses (429 with Retry-After, 500…) and can hold a
chosen request open, so a test can kill the worker while that message is in flight.
"""

from __future__ import annotations

import email
import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from stock_saas.tasks.notifiers.email import NOTIFICATION_HEADER
from tests.support.ports import free_port as shared_free_port

PORTS = range(8300, 8400)


def free_port() -> int:
    """A free port of our range (8300-8399) on 127.0.0.1."""
    return shared_free_port(PORTS, shuffle=True)


class SlackReceiver:
    """``url`` takes POSTed JSON like Slack's webhook and answers ``ok``."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.scripted: deque[tuple[int, dict[str, str]]] = deque()
        self.always: tuple[int, dict[str, str]] | None = None
        self.hold_request: int | None = None  # 1-based number of the request to hold open
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._token = uuid.uuid4().hex
        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), self._handler())
        self._server.daemon_threads = True
        self._server.handle_error = lambda *_: None  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        # A path of its own: the notifier paces and pauses (429) per webhook URL, and a
        # later test may get the same port.
        return f"http://{host}:{port}/services/T000/B000/{self._token}"

    def start(self) -> SlackReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def count_for(self, username: str) -> int:
        with self._lock:
            return sum(1 for text in self.texts if text.startswith(f"@{username} "))

    def _answer(self, body: bytes) -> tuple[int, dict[str, str]]:
        with self._lock:
            self.texts.append(json.loads(body)["text"])
            number = len(self.texts)
            answer = self.scripted.popleft() if self.scripted else self.always or (200, {})
        if number == self.hold_request:
            self.holding.set()
            self.release.wait(120)
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, headers = receiver._answer(body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                payload = b"ok" if status == 200 else b"error"
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


@dataclass
class Mailbox:
    """What an aiosmtpd server received."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def count_to(self, address: str) -> int:
        with self.lock:
            return sum(1 for m in self.messages if m["To"] == address)

    def notification_ids(self) -> list[str]:
        with self.lock:
            return [str(m[NOTIFICATION_HEADER]) for m in self.messages]


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

        self._running = False

    def start(self) -> SmtpServer:
        self._controller.start()
        self._running = True
        return self

    def stop(self) -> None:
        if self._running:
            self._controller.stop()
            self._running = False
