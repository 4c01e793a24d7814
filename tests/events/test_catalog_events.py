"""Catalog changes (departments, categories) cross processes on every transport, reach
the consumers that ask for internal events, and never reach SSE clients or webhooks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from stock_saas.db import read_session, write_session
from stock_saas.errors import ValidationFailed
from stock_saas.models import RelayedEvent
from stock_saas.services import catalog, events, stock, webhooks
from stock_saas.services.core import Context, Source
from stock_saas.services.events import Envelope
from stock_saas.services.events.relay import KEEP, relay
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context
from stock_saas.tasks import webhooks as webhook_tasks
from tests.events.conftest import REDIS_TEST_URL, Collector, Receiver
from tests.events.test_sse import open_stream

REPO = Path(__file__).resolve().parents[2]

# Another process (like the CLI, the API or another web worker) renames a department.
ELSEWHERE = """
import sys
from stock_saas.services import catalog, events
from stock_saas.services.core import Source
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context

events.install_publisher()
ctx = operator_context(ensure_tenant(DEFAULT_TENANT), source=Source.CLI, actor_name="other")
created = catalog.create_department(ctx=ctx, name=sys.argv[1])
catalog.rename_department(ctx=ctx, department_id=created.id, name=sys.argv[2])
"""


@pytest.fixture(params=["default", "redis"])
def internal(
    request: pytest.FixtureRequest, database: str, settings_env: Callable[..., None]
) -> Iterator[Collector]:
    """The bus on the backend's default transport (audit tail and relay on SQLite,
    NOTIFY on PostgreSQL) or on Redis, with a consumer of internal events too."""
    if request.param == "redis":
        settings_env(REDIS_URL=REDIS_TEST_URL)
    collector = Collector()
    events.stop_bus()
    events.subscribe(collector, internal=True)
    events.start_bus()
    yield collector
    events.unsubscribe(collector)
    events.stop_bus()


def _operator() -> Context:
    return operator_context(ensure_tenant(DEFAULT_TENANT), source=Source.CLI, actor_name="test")


def _elsewhere(database: str, name: str, new_name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", ELSEWHERE, name, new_name],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _is_catalog_change(tenant_id: int) -> Callable[[Envelope], bool]:
    return lambda e: isinstance(e.event, events.CatalogChanged) and e.event.tenant_id == tenant_id


def test_a_catalog_change_in_another_process_reaches_this_process(
    internal: Collector, database: str
) -> None:
    ctx = _operator()

    _elsewhere(database, "Ward C", "Ward D")

    arrived = internal.wait_for(_is_catalog_change(ctx.tenant_id))
    assert arrived.id.startswith("catalog:")
    assert arrived.position is None  # not an audit row: SSE never replays it
    # Both changes (create, rename) arrive, each once, whatever the transport.
    internal.wait_for(lambda e: e.id != arrived.id and _is_catalog_change(ctx.tenant_id)(e))
    assert len([i for i in internal.ids() if i.startswith("catalog:")]) == 2


def test_consumers_that_did_not_ask_never_see_catalog_changes(
    bus: Collector, database: str
) -> None:
    ctx = _operator()
    listening = Collector()
    events.subscribe(listening, internal=True)
    try:
        catalog.create_department(ctx=ctx, name="Ward E")
        listening.wait_for(_is_catalog_change(ctx.tenant_id))
        change = stock.add_stock(ctx=ctx, name="Gauze", quantity=5)
        bus.wait_for(lambda e: e.id == str(change.audit_id))
    finally:
        events.unsubscribe(listening)

    assert [e for e in bus.seen if e.event.internal] == []


def test_sse_streams_never_carry_catalog_changes(
    api_server: str, bus: Collector, database: str, manager_a: Context
) -> None:
    with open_stream(api_server, manager_a) as stream:
        stream.wait_connected()
        catalog.create_department(ctx=manager_a, name="Ward F")
        change = stock.add_stock(ctx=manager_a, name="Gauze", quantity=5)

        first = stream.next_frame()

    assert (first["event"], first["id"]) == ("stock.changed", str(change.audit_id))


def test_webhooks_never_carry_catalog_changes(
    eager_webhooks: Callable[..., None], receiver: Receiver, admin_a: Context
) -> None:
    webhooks.create_endpoint(ctx=admin_a, url=receiver.url, event_types=list(events.EVENT_TYPES))
    webhook_tasks.install_dispatcher()
    try:
        catalog.create_department(ctx=admin_a, name="Ward G")
        change = stock.add_stock(ctx=admin_a, name="Gauze", quantity=5)

        first = receiver.wait_for_count(1)[0]
    finally:
        webhook_tasks.uninstall_dispatcher()

    assert (first["json"]["type"], first["json"]["id"]) == ("stock.changed", str(change.audit_id))


def test_a_webhook_cannot_subscribe_to_catalog_changes(admin_a: Context) -> None:
    with pytest.raises(ValidationFailed):
        webhooks.create_endpoint(
            ctx=admin_a, url="https://hooks.example.com/x", event_types=["catalog.changed"]
        )


def test_the_wire_form_round_trips_a_catalog_change() -> None:
    envelope = Envelope("catalog:abc", events.CatalogChanged(tenant_id=3))

    decoded = events.decode(events.encode(envelope, "origin-1"))

    assert decoded == (envelope, "origin-1")
    assert "catalog.changed" not in events.EVENT_TYPES


def test_the_relay_forgets_messages_older_than_it_keeps(database: str) -> None:
    with write_session() as session:
        old = datetime.now(UTC) - KEEP - timedelta(minutes=1)
        session.add(RelayedEvent(message="old", created_at=old))

    relay(["new"])

    with read_session() as session:
        assert list(session.exec(select(RelayedEvent.message)).all()) == ["new"]
