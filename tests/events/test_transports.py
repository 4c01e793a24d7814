"""Events cross processes on every transport and reach each consumer once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import redis

from stock_saas.services import events, stock
from stock_saas.services.core import Context, Source
from stock_saas.services.events import Envelope
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context
from tests.events.conftest import REDIS_TEST_URL, Collector

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["default", "redis"])
def transport(
    request: pytest.FixtureRequest, database: str, settings_env: Callable[..., None]
) -> str:
    """The transport under test: the backend's default (audit tail on SQLite, NOTIFY on
    PostgreSQL) or Redis pub/sub (test database 14)."""
    if request.param == "redis":
        settings_env(REDIS_URL=REDIS_TEST_URL)
    return request.param


@pytest.fixture
def running(transport: str, bus: Collector) -> Collector:
    return bus


def _operator() -> Context:
    return operator_context(ensure_tenant(DEFAULT_TENANT), source=Source.CLI, actor_name="test")


def _cli(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database, "ADMIN_PASSWORD": "events-admin-password"}
    return subprocess.run(
        [sys.executable, "inventory.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_cli_change_in_another_process_reaches_the_consumers(
    running: Collector, database: str, transport: str
) -> None:
    ctx = _operator()
    stock.add_stock(ctx=ctx, name="Gloves", quantity=50, threshold=10)

    done = _cli(database, "issue", "Gloves", "45")

    assert done.returncode == 0, done.stderr
    changed = running.wait_for(
        lambda e: isinstance(e.event, events.StockChanged) and e.event.action == "issue"
    )
    assert isinstance(changed.event, events.StockChanged)
    assert (changed.event.quantity, changed.event.source) == (5, "cli")
    assert changed.event.tenant_id == ctx.tenant_id
    low = running.wait_for(lambda e: isinstance(e.event, events.LowStockEntered))
    assert low.id == f"{changed.id}.1"


def test_an_event_that_comes_back_through_the_transport_is_delivered_once(
    running: Collector, database: str, transport: str
) -> None:
    ctx = _operator()
    first = stock.add_stock(ctx=ctx, name="Masks", quantity=5)
    if events.running_transport() == "redis":
        # Another process publishing the same event (e.g. a replayed message) is dropped.
        from stock_saas.services.events.transports import RedisPubSub

        transport_ = events.transport_for_settings()
        assert isinstance(transport_, RedisPubSub)
        echo = events.encode(running.wait_for(lambda e: e.id == str(first.audit_id)), "other")
        redis.Redis.from_url(REDIS_TEST_URL).publish(transport_.channel, echo)

    # A later change from another process proves the transport has caught up past the first.
    assert _cli(database, "add", "Masks", "1").returncode == 0
    running.wait_for(lambda e: isinstance(e.event, events.StockChanged) and e.event.quantity == 6)

    assert running.ids().count(str(first.audit_id)) == 1


def test_the_audit_tail_rebuilds_a_threshold_crossing(database: str, bus: Collector) -> None:
    ctx = _operator()
    stock.add_stock(ctx=ctx, name="Swabs", quantity=5, threshold=1)
    before = events.latest_audit_id()

    change = stock.set_threshold(ctx=ctx, item="Swabs", threshold=10)

    rebuilt = events.tail(after_id=before)
    assert [e.id for e in rebuilt] == [str(change.audit_id), f"{change.audit_id}.1"]
    assert isinstance(rebuilt[1].event, events.LowStockEntered)


def test_wire_form_round_trips(database: str) -> None:
    event = events.ExportFinished(tenant_id=3, task_id="abc", status="done", rows=7)
    envelope = Envelope("export:abc:done", event)

    decoded = events.decode(events.encode(envelope, "origin-1"))

    assert decoded == (envelope, "origin-1")
