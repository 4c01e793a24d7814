"""Throw-away PostgreSQL and Redis servers of the fault tests' own, and a uvicorn API.

Never the machine's services: a PostgreSQL cluster initialised in a temporary directory
(run as the ``postgres`` OS user, port 5499) and a Redis on port 6499 without persistence.
Each can be stopped and started again while the app keeps running.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from tests.support.processes import Process
from tests.support.waiting import wait_for_http

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 5499
REDIS_PORT = 6499


def _as_postgres(*argv: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


class PostgresCluster:
    """A private cluster with trust auth on 127.0.0.1:5499."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="stock-faulttest-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                         "postgres", "--no-sync"),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}"

    def _ctl(self, *argv: str) -> None:
        options = f"-p {PG_PORT} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                         "-l", str(self.root / "server.log"), "-w", "-t", "60", *argv),
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def create_database(self, name: str) -> str:
        subprocess.run(
            _as_postgres(str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U",
                         "postgres", "-c", f'CREATE DATABASE "{name}"'),
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return f"{self.url}/{name}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """redis-server on 127.0.0.1:6499, nothing on disk."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="stock-faulttest-redis-"))
        self.url = f"redis://127.0.0.1:{REDIS_PORT}"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--dir", str(self.root),
             "--pidfile", str(self.root / "redis.pid")],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server on 6499 did not start")

    def stop(self) -> None:
        # Shutdown closes the connection: that is the answer.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(self.url, socket_timeout=2).shutdown(nosave=True)
        pid_file = self.root / "redis.pid"
        deadline = time.monotonic() + 30
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_api(env: dict[str, str], port: int, log: Path) -> Process:
    """The REST API alone under uvicorn (``create_app``), waiting until it answers."""
    api = Process(
        [sys.executable, "-m", "uvicorn", "--factory", "stock_saas.api.app:create_app",
         "--host", "127.0.0.1", "--port", str(port)],
        env, log, cwd=REPO,
    )  # fmt: skip
    try:
        wait_for_http(
            [f"http://127.0.0.1:{port}/api/openapi.json"], api.proc, log, timeout=60, what="the API"
        )
    except RuntimeError:
        api.stop()
        raise
    return api
