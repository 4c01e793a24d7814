"""PostgreSQL + Redis with two backend workers: each its own ``reflex run --env prod``
process on its own port, one PostgreSQL database, Reflex's Redis state manager and our
Redis event transport. Start it from ONE module (a module-scoped fixture): `make test`
(--dist loadfile) keeps a module on one xdist worker, so the cluster starts once per run.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from scripts.run_all import app_environment, private_frontend
from tests.support.ports import free_port
from tests.support.processes import Process, start_web_app
from tests.support.servers import PG_SERVER

__all__ = ["Cluster", "two_worker_cluster"]

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300
PORTS = range(8400, 8500)


@dataclass(frozen=True)
class Cluster:
    env: dict[str, str]  # the workers' settings, for a CLI writing to the same database
    urls: list[str]  # one base URL per backend worker


@contextmanager
def two_worker_cluster(work: Path, redis_url: str) -> Iterator[Cluster]:
    """Two backend workers on a fresh PostgreSQL database and the Redis at ``redis_url``."""
    name = f"stock_saas_events_e2e_{os.getpid()}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    settings = {
        "DATABASE_URL": f"{PG_SERVER}/{name}",
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_USERNAME": "cluster-admin",
        "ADMIN_PASSWORD": "cluster-admin-password",
        "SIGNUP_MAX_PER_ADDRESS": "100000",  # every test signs up from 127.0.0.1
    }
    env = app_environment(settings)
    for drop in ("CELERY_BROKER_URL", "SECRET_STORE_FILE"):
        env.pop(drop, None)
    subprocess.run(
        [sys.executable, "inventory.py", "migrate"], cwd=REPO, env=env, check=True, timeout=120
    )
    procs: list[Process] = []
    urls: list[str] = []
    try:
        for n in range(2):  # one after the other: two first builds at once fight
            port = free_port(PORTS, shuffle=True)
            log = work / f"worker{n}.log"
            worker_env = {**env, **private_frontend(work / f"worker{n}")}
            procs.append(start_web_app(port, worker_env, log, timeout=START_TIMEOUT))
            url = f"http://127.0.0.1:{port}"
            urls.append(url)
        yield Cluster(env, urls)
    finally:
        for proc in procs:
            proc.stop(grace=15)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
