"""`make run-prod` end to end: the compose process set on local PostgreSQL and Redis.

Starts ``scripts/run_prod.py all`` once (its own database, Redis db numbers, port, Reflex
web and state dirs; one frontend export), then: /api/health reports database, Redis,
broker and a live worker; a user registers, signs in and adds and issues stock through the
API; the low-stock alert reaches the Celery worker (a notification row) and the user's
open dashboard (Playwright, Debian's chromium); the logs never contain a secret.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from scripts.run_all import private_frontend
from tests.support.ports import free_port
from tests.support.processes import Process
from tests.support.servers import PG_SERVER, redis_db

# One stack per run: `make test` distributes by file (--dist loadfile), so every test of this
# module runs on the same worker (two stacks would race for ports and Redis databases).
pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REPO = Path(__file__).resolve().parents[2]
PORTS = range(8500, 8550)
REDIS_DBS = (8, 9, 15)  # state + events, broker, results: none used by other suites
START_TIMEOUT = 420


@dataclass
class Stack:
    url: str
    database_url: str
    log: Path
    secrets: dict[str, str]


def _flush_redis() -> None:
    for number in REDIS_DBS:
        redis.Redis.from_url(redis_db(number)).flushdb()


def _drop_database(name: str) -> None:
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _wait_for_health(url: str, proc: subprocess.Popen[bytes], log: Path) -> dict[str, object]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"run-prod exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            response = httpx.get(f"{url}/api/health", timeout=5)
            body = response.json()
            workers = body.get("workers")
            if response.status_code == 200 and isinstance(workers, int) and workers >= 1:
                return dict(body)
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise RuntimeError(f"run-prod not healthy in {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("run-prod")
    port = free_port(PORTS)
    database = f"stock_saas_prod_test_{os.getpid()}"
    database_url = f"{PG_SERVER}/{database}"
    known = {
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_PASSWORD": "adm-" + secrets.token_urlsafe(12),
    }
    env = {
        **os.environ,
        **known,
        "STOCK_SAAS_PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_db(REDIS_DBS[0]),
        "CELERY_BROKER_URL": redis_db(REDIS_DBS[1]),
        "CELERY_RESULT_BACKEND": redis_db(REDIS_DBS[2]),
        "ADMIN_USERNAME": "prod-admin",
        "EXPORT_DIR": str(work / "exports"),
        "CELERY_DATA_DIR": str(work / "celery"),
        **private_frontend(work),
        "LOG_LEVEL": "INFO",
        # A short sweep too, so the beat (not only an enqueue on the change) is exercised.
        "STOCK_CHECK_INTERVAL": "3",
    }
    for name in ("SECRET_STORE_FILE", "SLACK_WEBHOOK_URL", "SMTP_SERVER", "API_URL"):
        env.pop(name, None)
    _flush_redis()
    _drop_database(database)
    log = work / "run-prod.log"
    run_prod = Process([sys.executable, "scripts/run_prod.py", "all"], env, log, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, run_prod.proc, log)
        yield Stack(url=url, database_url=database_url, log=log, secrets=known)
    finally:
        run_prod.stop(grace=30)
        _drop_database(database)
        _flush_redis()


def test_health_reports_database_redis_broker_and_worker(stack: Stack):
    body = httpx.get(f"{stack.url}/api/health", timeout=10).json()
    assert (body["database"], body["redis"], body["broker"]) == ("ok", "ok", "ok")
    assert body["workers"] >= 1
    assert body["migration"]["current"] == body["migration"]["head"]


def test_ready(stack: Stack):
    assert httpx.get(f"{stack.url}/api/ready", timeout=10).status_code == 200


def test_a_new_user_s_low_stock_reaches_the_worker_and_the_browser(stack: Stack, browser: Any):
    from playwright.sync_api import expect

    from tests.e2e.flows import sign_in

    username, password = f"prod-{uuid.uuid4().hex[:8]}", "prod-" + secrets.token_urlsafe(12)
    stack.secrets["user password"] = password
    registered = httpx.post(
        f"{stack.url}/api/auth/register",
        json={"username": username, "password": password, "organisation": f"Org {username}"},
        timeout=30,
    )
    assert registered.status_code in (200, 201), registered.text
    signed = httpx.post(
        f"{stack.url}/api/token", data={"username": username, "password": password}, timeout=30
    )
    assert signed.status_code == 200, signed.text
    token = signed.json()["access_token"]
    stack.secrets["token"] = token
    headers = {"Authorization": f"Bearer {token}"}
    tenant_id = httpx.get(f"{stack.url}/api/me", headers=headers, timeout=30).json()["tenant_id"]

    context = browser.new_context(base_url=stack.url)
    try:
        page = context.new_page()
        sign_in(page, username, password)
        item = {"name": "Saline", "tenant_id": tenant_id}
        added = httpx.post(
            f"{stack.url}/api/items/add",
            json={**item, "quantity": 10, "threshold": 5},
            headers=headers,
            timeout=30,
        )
        assert added.status_code in (200, 201), added.text
        issued = httpx.post(
            f"{stack.url}/api/items/issue",
            json={**item, "quantity": 7},
            headers=headers,
            timeout=30,
        )
        assert issued.status_code == 200, issued.text
        try:
            expect(page.get_by_text("Low stock: Saline")).to_be_visible(timeout=30_000)
        except AssertionError as missing:  # say what the stack was doing
            tail = stack.log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"no low-stock toast; run-prod log tail:\n{tail}") from missing
    finally:
        context.close()
    assert _notification_rows(stack.database_url, tenant_id) >= 1


def _notification_rows(database_url: str, tenant_id: int) -> int:
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                count = connection.execute(
                    text("SELECT count(*) FROM notifications WHERE tenant_id = :t"),
                    {"t": tenant_id},
                ).scalar_one()
            if count or time.monotonic() > deadline:
                return int(count)
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_logs_are_json_with_request_ids_and_hold_no_secret(stack: Stack):
    httpx.post(
        f"{stack.url}/api/token",
        data={"username": "prod-admin", "password": stack.secrets["ADMIN_PASSWORD"]},
        timeout=30,
    )
    time.sleep(1)  # let the last access line reach the file (not a timing assertion)
    text_ = stack.log.read_text(errors="replace")
    assert '"logger": "stock_saas.access"' in text_ and '"request_id": "' in text_
    leaked = [name for name, value in stack.secrets.items() if value in text_]
    assert leaked == []
