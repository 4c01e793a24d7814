"""A listener that loses its Redis or PostgreSQL connection subscribes again and says so,
so live dashboards re-read what they may have missed (pub/sub and NOTIFY keep nothing
for a listener that was away). The audit tail resumes by id and has nothing to say."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import redis
from sqlalchemy import create_engine, text

from stock_saas.services import events
from tests.events.conftest import REDIS_TEST_URL, WAIT_SECONDS, Collector
from tests.support.waiting import wait_until

LISTENING = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = :db"


@pytest.fixture
def reconnected() -> Iterator[threading.Event]:
    heard = threading.Event()
    events.on_reconnect(heard.set)
    yield heard
    events.off_reconnect(heard.set)


def _redis_listeners(client: redis.Redis) -> list[dict[str, str]]:
    db = REDIS_TEST_URL.rsplit("/", 1)[1]
    return [c for c in client.client_list(_type="pubsub") if c.get("db") == db]


def test_a_redis_listener_that_lost_its_connection_resubscribes_and_says_so(
    database: str, settings_env: Callable[..., None], reconnected: threading.Event
) -> None:
    settings_env(REDIS_URL=REDIS_TEST_URL)
    events.stop_bus()
    events.start_bus()
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        wait_until(lambda: len(_redis_listeners(client)) == 1, WAIT_SECONDS, "a subscription")
        assert not reconnected.is_set()  # the first subscription is no reconnection

        client.client_kill_filter(_id=_redis_listeners(client)[0]["id"])

        assert reconnected.wait(WAIT_SECONDS)
        wait_until(lambda: len(_redis_listeners(client)) == 1, WAIT_SECONDS, "resubscribed")
    finally:
        events.stop_bus()
        client.close()


def test_a_notify_listener_that_lost_its_connection_listens_again_and_says_so(
    database: str, bus: Collector, reconnected: threading.Event
) -> None:
    if not database.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite's audit tail resumes by id")
    engine = create_engine(database)
    name = engine.url.database

    def listeners() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text(LISTENING), {"db": name}).scalar_one())

    try:
        wait_until(lambda: listeners() == 1, WAIT_SECONDS, "a LISTEN connection")
        assert not reconnected.is_set()

        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN %' AND datname = :db"
                ),
                {"db": name},
            )

        assert reconnected.wait(WAIT_SECONDS)
        wait_until(lambda: listeners() == 1, WAIT_SECONDS, "LISTEN again")
    finally:
        engine.dispose()
