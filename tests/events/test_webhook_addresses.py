"""Webhooks reach public addresses only: every spelling of a loopback, private or otherwise
non-public address is refused at registration and, above all, at send time, where the
host is resolved once, every address checked, and the checked address connected to.

Receivers listen on loopback ports; names resolve through resolvers the tests control.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import trustme

from stock_saas.config import get_settings
from stock_saas.errors import Forbidden, ValidationFailed
from stock_saas.security.outbound import (
    AddressRefused,
    AsyncPublicAddressTransport,
    public_client,
    system_resolver,
)
from stock_saas.services import stock, webhooks
from stock_saas.services.core import Context, Role, Source
from stock_saas.tasks import webhooks as webhook_tasks
from stock_saas.tasks.celery_app import app as celery_app
from tests.events.conftest import Collector
from tests.support.api_thread import SECURITY_PORTS
from tests.support.coroutines import run_coroutine
from tests.support.ports import free_port as free_port_in
from tests.support.waiting import wait_until

HOOK_NAME = "hooks.example.test"


def free_port() -> int:
    # Not the events suite's range: a delivery of another run could hit our listener.
    return free_port_in(SECURITY_PORTS, shuffle=True)


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (and drops them)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    made = Listener()
    yield made
    made.sock.close()


def _mapped(names: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    """A resolver answering ``names`` and the system's answer for anything else."""

    def resolve(host: str, port: int) -> list[str]:
        return names[host] if host in names else system_resolver(host, port)

    return resolve


# What the hostile tester registered; the system resolver turns each into a loopback,
# unspecified, or otherwise non-public address.
SPELLINGS = [
    "127.1",
    "2130706433",
    "0x7f000001",
    "017700000001",
    "0",
    "[::127.0.0.1]",
    "[::ffff:127.0.0.1]",
    "[64:ff9b::7f00:1]",
    "[2002:7f00:1::]",
    "[::1]",
    "100.64.0.1",
    "224.0.0.1",
    "169.254.169.254",
    "10.1.2.3",
    "[fe80::1]",
    "localhost",
    socket.gethostname(),
]


@pytest.mark.parametrize("host", SPELLINGS)
def test_the_sender_refuses_every_spelling_and_connects_nowhere(listener: Listener, host: str):
    with (
        public_client(timeout=5) as client,
        pytest.raises(AddressRefused, match="refused: not a public address"),
    ):
        client.post(f"https://{host}:{listener.port}/hook", content=b"{}")
    assert listener.accepted == 0


@pytest.mark.parametrize(
    "name", ["localhost.", "localhost.localdomain", "ip6-localhost", "evil.example"]
)
def test_names_that_resolve_to_loopback_are_refused(listener: Listener, name: str):
    # A resolver we control answers what a hosts file or a hostile DNS zone would.
    resolve = _mapped({name: ["127.0.0.1"], name.rstrip("."): ["::1"]})
    with public_client(timeout=5, resolver=resolve) as client, pytest.raises(AddressRefused):
        client.post(f"https://{name}:{listener.port}/hook", content=b"{}")
    assert listener.accepted == 0


def test_one_private_address_among_public_ones_refuses_the_name(listener: Listener):
    resolve = _mapped({HOOK_NAME: ["93.184.215.14", "2606:2800:21f::1", "127.0.0.1"]})
    with public_client(timeout=5, resolver=resolve) as client, pytest.raises(AddressRefused):
        client.post(f"https://{HOOK_NAME}:{listener.port}/hook", content=b"{}")
    assert listener.accepted == 0


def test_a_name_is_resolved_once_and_the_checked_address_is_connected(listener: Listener):
    # DNS rebinding: the first answer passes the check, any later one would not. The
    # connection must go to the first answer, without asking again.
    answers: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        answers.append(host)
        return ["127.0.0.1"] if len(answers) == 1 else ["10.0.0.1"]

    with (
        public_client(timeout=5, resolver=rebinding, allow_loopback=True) as client,
        pytest.raises(httpx.TransportError),  # the listener hangs up: it did connect
    ):
        client.post(f"http://{HOOK_NAME}:{listener.port}/hook", content=b"{}")
    assert (answers, listener.accepted) == ([HOOK_NAME], 1)


@pytest.fixture(scope="module")
def tls() -> trustme.CA:
    return trustme.CA()


class TlsReceiver:
    """An HTTPS receiver on 127.0.0.1 with a certificate for HOOK_NAME; remembers the SNI
    and Host of each request, answers ``status`` (and a redirect's Location)."""

    def __init__(self, ca: trustme.CA, status: int = 200, location: str = "") -> None:
        self.seen: list[dict[str, Any]] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(HOOK_NAME).configure_cert(context)
        sni: list[str | None] = []
        context.sni_callback = lambda _sock, name, _ctx: sni.append(name)  # type: ignore[assignment,return-value]
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                state.seen.append({"sni": sni[-1] if sni else None, "host": self.headers["Host"]})
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def https_receiver(tls: trustme.CA) -> Iterator[TlsReceiver]:
    receiver = TlsReceiver(tls)
    yield receiver
    receiver.close()


def _verify(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_https_keeps_the_host_name_for_sni_certificate_and_host(
    tls: trustme.CA, https_receiver: TlsReceiver
):
    resolve = _mapped({HOOK_NAME: ["127.0.0.1"]})
    url = f"https://{HOOK_NAME}:{https_receiver.port}/hook"
    with public_client(
        timeout=5, resolver=resolve, allow_loopback=True, verify=_verify(tls)
    ) as client:
        response = client.post(url, content=b"{}")

    assert response.status_code == 200
    assert https_receiver.seen == [{"sni": HOOK_NAME, "host": f"{HOOK_NAME}:{https_receiver.port}"}]


def test_a_certificate_for_another_name_is_refused(tls: trustme.CA, https_receiver: TlsReceiver):
    # The check is against the URL's name, not the address connected to.
    resolve = _mapped({"other.example.test": ["127.0.0.1"]})
    with (
        public_client(timeout=5, resolver=resolve, allow_loopback=True, verify=_verify(tls)) as c,
        pytest.raises(httpx.ConnectError, match="certificate"),
    ):
        c.post(f"https://other.example.test:{https_receiver.port}/hook", content=b"{}")
    assert https_receiver.seen == []


def test_redirects_are_not_followed(tls: trustme.CA, listener: Listener):
    receiver = TlsReceiver(tls, status=307, location=f"http://127.0.0.1:{listener.port}/x")
    resolve = _mapped({HOOK_NAME: ["127.0.0.1"]})
    try:
        with public_client(
            timeout=5, resolver=resolve, allow_loopback=True, verify=_verify(tls)
        ) as client:
            response = client.post(f"https://{HOOK_NAME}:{receiver.port}/hook", content=b"{}")
    finally:
        receiver.close()
    assert (response.status_code, listener.accepted) == (307, 0)


def test_the_async_transport_refuses_too(listener: Listener):
    async def post() -> None:
        transport = AsyncPublicAddressTransport()
        async with httpx.AsyncClient(transport=transport, trust_env=False, timeout=5) as client:
            await client.post(f"https://127.1:{listener.port}/hook", content=b"{}")

    with pytest.raises(AddressRefused):
        run_coroutine(post())
    assert listener.accepted == 0


# ---- registration -------------------------------------------------------------------

ADMIN = Context(tenant_id=1, role=Role.ADMIN, source=Source.API)  # refused before any write


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    def allow(value: bool) -> None:
        monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "1" if value else "0")
        get_settings.cache_clear()

    yield allow
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "host",
    [
        *SPELLINGS,
        "localhost.",
        "localhost.localdomain",
        "ip6-localhost",
        "printer.local",
        "db.internal",
        "intranet",
        "[fe80::1%25eth0]",
    ],
)
def test_registration_refuses_what_is_certainly_not_public(
    loopback: Callable[[bool], None], host: str
):
    loopback(False)
    with pytest.raises(Forbidden, match="refused: not a public address"):
        webhooks.create_endpoint(
            ctx=ADMIN, url=f"https://{host}:8443/hook", event_types=["stock.changed"]
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",  # private is never allowed, even in development
        "http://hooks.example.com/hook",  # public hosts get https
        "https://user:pw@hooks.example.com/hook",
        "ftp://hooks.example.com/hook",
    ],
)
def test_development_allows_nothing_but_loopback(loopback: Callable[[bool], None], url: str):
    loopback(True)
    with pytest.raises((Forbidden, ValidationFailed)):  # policy 403, malformed 422
        webhooks.create_endpoint(ctx=ADMIN, url=url, event_types=["stock.changed"])


def test_development_allows_loopback_over_http(loopback: Callable[[bool], None], admin_a: Context):
    loopback(True)
    for url in ("http://127.0.0.1:9/hook", "http://localhost:9/hook"):
        made = webhooks.create_endpoint(ctx=admin_a, url=url, event_types=["stock.changed"])
        assert made.endpoint.url == url


def test_loopback_is_allowed_by_default_only_with_sqlite(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WEBHOOK_ALLOW_LOOPBACK", raising=False)
    for url, allowed in (("sqlite:///x.db", True), ("postgresql://u@db/stock", False)):
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        assert get_settings().webhook_loopback_allowed is allowed
    get_settings.cache_clear()


# ---- the worker's deliveries (both databases) ----------------------------------------


@pytest.fixture
def delivering(
    bus: Collector, settings_env: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[dict[str, list[str]]], None]]:
    """The dispatcher running with eager Celery tasks, pausing an endpoint at its first
    failure; ``resolve_as(names)`` sets what the worker's resolver answers."""
    settings_env(WEBHOOK_RETRY_BASE_SECONDS="0", WEBHOOK_PAUSE_AFTER_FAILURES="1")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    webhook_tasks.install_dispatcher()

    def resolve_as(names: dict[str, list[str]]) -> None:
        monkeypatch.setattr(webhook_tasks, "resolve", _mapped(names))

    yield resolve_as
    webhook_tasks.uninstall_dispatcher()
    celery_app.conf.task_always_eager = eager


def _only_delivery(ctx: Context) -> webhooks.DeliveryView:
    wait_until(
        lambda: any(d.attempts for d in webhooks.list_deliveries(ctx=ctx)),
        timeout=20,
        what="a delivery attempt",
    )
    [delivery] = webhooks.list_deliveries(ctx=ctx)
    return delivery


def test_a_name_that_now_resolves_to_loopback_is_refused_at_send_time(
    delivering: Callable[[dict[str, list[str]]], None],
    settings_env: Callable[..., None],
    listener: Listener,
    admin_a: Context,
):
    settings_env(WEBHOOK_ALLOW_LOOPBACK="0")
    url = f"https://{HOOK_NAME}:{listener.port}/hook"
    webhooks.create_endpoint(ctx=admin_a, url=url, event_types=["stock.changed"])
    delivering({HOOK_NAME: ["127.0.0.1"]})  # the DNS record changed after registration

    stock.add_stock(ctx=admin_a, name="Gloves", quantity=5)

    delivery = _only_delivery(admin_a)
    assert (delivery.last_error, delivery.response_code) == ("refused: not a public address", None)
    assert listener.accepted == 0
    [endpoint] = webhooks.list_endpoints(ctx=admin_a)
    assert endpoint.paused_reason is not None
    assert endpoint.paused_reason.endswith("last: refused: not a public address")


def test_a_failed_connection_tells_the_tenant_no_more_than_could_not_connect(
    delivering: Callable[[dict[str, list[str]]], None],
    settings_env: Callable[..., None],
    admin_a: Context,
):
    settings_env(WEBHOOK_ALLOW_LOOPBACK="1")
    closed_port = free_port()  # nothing listens there: "connection refused" stays private
    webhooks.create_endpoint(
        ctx=admin_a, url=f"http://127.0.0.1:{closed_port}/hook", event_types=["stock.changed"]
    )
    delivering({})

    stock.add_stock(ctx=admin_a, name="Masks", quantity=5)

    assert _only_delivery(admin_a).last_error == "could not connect"
