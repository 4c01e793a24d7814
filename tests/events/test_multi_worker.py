"""PostgreSQL + Redis with two backend workers: a CLI change reaches dashboards on both.

Each worker is its own ``reflex run --env prod`` process on its own port (Reflex's Redis
state manager, our Redis event transport); one browser context is served by each.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from scripts.run_all import private_frontend, web_app
from tests.events.conftest import REDIS_TEST_URL, free_port
from tests.support.processes import stop_process_group
from tests.support.servers import PG_SERVER
from tests.support.waiting import wait_for_http

# One cluster per run: `make test` (--dist loadfile) keeps this module on one xdist worker.
pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], list[str]]]:
    """Two backend workers on one PostgreSQL database and one Redis: (env, base URLs)."""
    work = tmp_path_factory.mktemp("events-cluster")
    name = f"stock_saas_events_e2e_{os.getpid()}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    tools = REPO / ".tools" / "node_modules" / ".bin"
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": f"{PG_SERVER}/{name}",
        "REDIS_URL": REDIS_TEST_URL,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_USERNAME": "cluster-admin",
        "ADMIN_PASSWORD": "cluster-admin-password",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PYTHONUNBUFFERED": "1",
    }
    for drop in ("CELERY_BROKER_URL", "SECRET_STORE_FILE"):
        env.pop(drop, None)
    subprocess.run(
        [sys.executable, "inventory.py", "migrate"], cwd=REPO, env=env, check=True, timeout=120
    )
    procs: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for n in range(2):
            port = free_port()
            log = work / f"worker{n}.log"
            worker_env = {**env, **private_frontend(work / f"worker{n}")}
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        web_app(port).argv,
                        cwd=REPO,
                        env=worker_env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            url = f"http://127.0.0.1:{port}"
            wait_for_http([url + "/login", url + "/ping"], procs[-1], log, timeout=START_TIMEOUT)
            urls.append(url)
        yield env, urls
    finally:
        for proc in procs:
            stop_process_group(proc)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_cli_change_reaches_dashboards_served_by_two_different_workers(
    cluster: tuple[dict[str, str], list[str]], browser: Any
) -> None:
    from playwright.sync_api import expect

    from tests.e2e.flows import add_item, register_organisation, row, sign_in, unique

    env, (first_url, second_url) = cluster
    organisation, admin = unique("Org"), unique("admin")
    contexts = [browser.new_context(base_url=url) for url in (first_url, second_url)]
    try:
        first = contexts[0].new_page()
        register_organisation(first, organisation, admin)
        sign_in(first, admin)
        add_item(first, "Saline", 50, 10)
        second = contexts[1].new_page()
        sign_in(second, admin)
        expect(row(second, "Saline").locator(".quantity")).to_have_text("50")

        done = subprocess.run(
            [sys.executable, "inventory.py", "issue", "Saline", "45", "--tenant", organisation],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        expect(row(first, "Saline").locator(".quantity")).to_have_text("5")
        expect(row(second, "Saline").locator(".quantity")).to_have_text("5")
        expect(row(second, "Saline").locator(".low-marker")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
