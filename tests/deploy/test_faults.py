"""Fault behaviour: PostgreSQL and Redis restarted under a running app (their own servers).

PostgreSQL (a private cluster on 5499) is stopped in the middle of a burst of issues
through the API and started again: every acknowledged issue is in the audit log, the stock
equals the sum of its audit deltas, every failed request got a 503 with a clear detail,
and the same API process serves again without a restart. Redis (a private server on
6499, Celery's broker and result store) is restarted: the API and the Celery worker
reconnect and a new low-stock alert still reaches the worker (a notification row).
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.deploy.services import REPO, PostgresCluster, RedisServer, start_api
from tests.support.ports import free_port
from tests.support.processes import Process

pytestmark = pytest.mark.slow

PORTS = range(8550, 8600)
THREADS = 4
ISSUES_PER_THREAD = 60
INITIAL = 100_000


def _base_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_PASSWORD": secrets.token_urlsafe(12),
        "EXPORT_DIR": str(tmp_path / "exports"),
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "SECRET_STORE_FILE"):
        env.pop(name, None)
    return env


def _sign_up(url: str) -> tuple[dict[str, str], int]:
    username, password = f"fault-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(12)
    httpx.post(
        f"{url}/api/auth/register",
        json={"username": username, "password": password, "organisation": f"Org {username}"},
        timeout=30,
    ).raise_for_status()
    token = httpx.post(
        f"{url}/api/token", data={"username": username, "password": password}, timeout=30
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    tenant_id = httpx.get(f"{url}/api/me", headers=headers, timeout=30).json()["tenant_id"]
    return headers, int(tenant_id)


def _migrate(env: dict[str, str]) -> None:
    import subprocess

    subprocess.run(
        [sys.executable, "inventory.py", "migrate"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    pg = PostgresCluster()
    try:
        pg.start()
        yield pg
    finally:
        pg.destroy()


def test_postgres_restart_during_a_burst_of_issues(cluster: PostgresCluster, tmp_path: Path):
    database_url = cluster.create_database("stock_fault")
    env = _base_env(tmp_path, database_url)
    _migrate(env)
    port = free_port(PORTS)
    api = start_api(env, port, tmp_path / "api.log")
    url = f"http://127.0.0.1:{port}"
    try:
        headers, tenant_id = _sign_up(url)
        body = {"name": "Gauze", "tenant_id": tenant_id}
        httpx.post(
            f"{url}/api/items/add",
            json={**body, "quantity": INITIAL, "threshold": 0},
            headers=headers,
            timeout=30,
        ).raise_for_status()

        acknowledged: list[int] = []
        failures: list[tuple[int, str]] = []
        lock = threading.Lock()
        half_done = threading.Barrier(THREADS + 1)
        restarted = threading.Event()

        def burst() -> None:
            with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
                for n in range(ISSUES_PER_THREAD):
                    if n == ISSUES_PER_THREAD // 2:
                        half_done.wait()
                    response = client.post("/api/items/issue", json={**body, "quantity": 1})
                    with lock:
                        if response.status_code == 200:
                            acknowledged.append(1)
                        else:
                            failures.append((response.status_code, response.text))

        threads = [threading.Thread(target=burst) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        half_done.wait()
        cluster.stop()
        down = httpx.post(f"{url}/api/items/issue", json={**body, "quantity": 1}, headers=headers)
        cluster.start()
        restarted.set()
        for thread in threads:
            thread.join(timeout=120)

        assert (down.status_code, "database is unavailable" in down.json()["detail"]) == (503, True)
        assert all(
            status == 503 and "database is unavailable" in detail for status, detail in failures
        ), failures[:3]
        recovered = httpx.post(
            f"{url}/api/items/issue", json={**body, "quantity": 1}, headers=headers, timeout=30
        )
        if recovered.status_code == 503:  # the pool may hand out one more dead connection
            recovered = httpx.post(
                f"{url}/api/items/issue", json={**body, "quantity": 1}, headers=headers, timeout=30
            )
        assert recovered.status_code == 200, recovered.text
        acked = len(acknowledged) + 1
    finally:
        api.stop()

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            quantity = connection.execute(
                text("SELECT quantity FROM stock_levels WHERE tenant_id = :t"), {"t": tenant_id}
            ).scalar_one()
            deltas = connection.execute(
                text("SELECT coalesce(sum(delta), 0), count(*) FROM audit_log "
                     "WHERE tenant_id = :t AND action = 'issue'"),
                {"t": tenant_id},
            ).one()  # fmt: skip
            all_deltas = connection.execute(
                text("SELECT sum(delta) FROM audit_log WHERE tenant_id = :t"), {"t": tenant_id}
            ).scalar_one()
    finally:
        engine.dispose()
    issued_sum, issued_rows = deltas
    assert issued_rows >= acked  # acknowledged ones all there (+ any committed but unacked)
    assert quantity == all_deltas == INITIAL + issued_sum


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


def _notifications(database_url: str, tenant_id: int, at_least: int) -> int:
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + 90
        while True:
            with engine.connect() as connection:
                count = int(
                    connection.execute(
                        text("SELECT count(*) FROM notifications WHERE tenant_id = :t"),
                        {"t": tenant_id},
                    ).scalar_one()
                )
            if count >= at_least or time.monotonic() > deadline:
                return count
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_redis_restart_app_and_worker_reconnect(private_redis: RedisServer, tmp_path: Path):
    database_url = f"sqlite:///{tmp_path / 'fault.db'}"
    env = {
        **_base_env(tmp_path, database_url),
        "REDIS_URL": f"{private_redis.url}/0",
        "CELERY_BROKER_URL": f"{private_redis.url}/1",
        "CELERY_RESULT_BACKEND": f"{private_redis.url}/2",
        "STOCK_CHECK_INTERVAL": "2",
        "CELERY_CONCURRENCY": "1",
    }
    _migrate(env)
    port = free_port(PORTS)
    api = start_api(env, port, tmp_path / "api.log")
    root = Path(__file__).resolve().parents[2]
    worker = Process(
        [sys.executable, "scripts/run_prod.py", "worker"], env, tmp_path / "w.log", cwd=REPO
    )
    beat = Process(
        [sys.executable, "scripts/run_prod.py", "beat"], env, tmp_path / "b.log", cwd=REPO
    )
    url = f"http://127.0.0.1:{port}"
    assert root.exists()
    try:
        headers, tenant_id = _sign_up(url)
        body = {"name": "Masks", "tenant_id": tenant_id}
        post = {"headers": headers, "timeout": 30}
        httpx.post(
            f"{url}/api/items/add", json={**body, "quantity": 10, "threshold": 5}, **post
        ).raise_for_status()
        httpx.post(f"{url}/api/items/issue", json={**body, "quantity": 7}, **post)
        before = _notifications(database_url, tenant_id, at_least=1)
        assert before >= 1

        private_redis.stop()
        private_redis.start()

        # A new episode: back above the threshold, then low again.
        httpx.post(
            f"{url}/api/items/return", json={**body, "quantity": 10}, **post
        ).raise_for_status()
        _wait_for_closed_episode(database_url, tenant_id)
        httpx.post(
            f"{url}/api/items/issue", json={**body, "quantity": 10}, **post
        ).raise_for_status()
        assert _notifications(database_url, tenant_id, at_least=before + 1) > before
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        assert (health["redis"], health["broker"]) == ("ok", "ok")
    finally:
        for process in (beat, worker, api):
            process.stop()


def _wait_for_closed_episode(database_url: str, tenant_id: int) -> None:
    """The sweep notices the recovery (closes the open episode) before stock drops again."""
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                open_ = connection.execute(
                    text("SELECT count(*) FROM alert_episodes WHERE tenant_id = :t "
                         "AND closed_at IS NULL"),
                    {"t": tenant_id},
                ).scalar_one()  # fmt: skip
            if open_ == 0:
                return
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_the_movement_pool_reports_a_server_it_cannot_reach_as_an_outage() -> None:
    # The fast path's pool (db.driver_autocommit) connects through the driver itself: a
    # refused connect must come out as SQLAlchemy's OperationalError, which the API answers
    # with 503, not as psycopg's own error (a 500 "Internal Server Error").
    from sqlalchemy.exc import OperationalError

    from stock_saas.db import driver_autocommit

    closed = free_port(range(8600, 8650))  # nothing listens there
    with (
        pytest.raises(OperationalError),
        driver_autocommit(
            f"postgresql+psycopg://postgres@127.0.0.1:{closed}/none?connect_timeout=2"
        ),
    ):
        pass
