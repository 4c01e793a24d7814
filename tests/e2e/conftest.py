"""Browser tests: the real app (``reflex run --env prod``) in a subprocess, Debian's Chromium.

The app is built and started ONCE per test session on a free port, with its own SQLite
database, key, Reflex web directory and state directory in a temporary folder (so a
running ``make run`` is never disturbed). Every test makes its own organisation, so tests
do not depend on each other's data.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from scripts.run_all import app_environment
from tests.support.ports import free_port
from tests.support.processes import start_web_app

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Unique per run: six worktrees share the port range, and the answer to a sign-in as this
# admin proves the app on the port is this run's own (not another worktree's build).
ADMIN = (f"e2e-admin-{secrets.token_hex(4)}", "e2e-admin-password")
PORTS = range(3150, 3200)  # this suite's share of the dashboard's port range
START_TIMEOUT = 300

expect.set_options(timeout=10_000)

# Captures what the Reflex client sends (so a test can hand-craft a websocket event) and
# what it receives (so a test can check what reached the browser at all).
SOCKET_SPY = """
(() => {
  window.__rxSent = []; window.__rxReceived = []; window.__rxSockets = [];
  const Native = window.WebSocket;
  function Spy(...args) {
    const ws = new Native(...args);
    window.__rxSockets.push(ws);
    const send = ws.send.bind(ws);
    ws.send = (data) => { window.__rxSent.push(String(data)); return send(data); };
    ws.addEventListener("message", (e) => window.__rxReceived.push(String(e.data)));
    return ws;
  }
  Spy.prototype = Native.prototype;
  Object.assign(Spy, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Spy;
})();
"""


@dataclass(frozen=True)
class RunningApp:
    url: str
    env: dict[str, str]  # its settings, for a CLI that writes to the same database


@pytest.fixture(scope="session")
def app_url(running_app: RunningApp) -> str:
    """Base URL of the running app (built once, stopped at the end of the session)."""
    return running_app.url


@pytest.fixture(scope="session")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The app (``reflex run --env prod``) with a database of its own, once per session."""
    work = tmp_path_factory.mktemp("e2e-app")
    port = free_port(PORTS, shuffle=True)
    settings = {
        "DATABASE_URL": f"sqlite:///{work / 'e2e.db'}",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_USERNAME": ADMIN[0],
        "ADMIN_PASSWORD": ADMIN[1],
        # Every browser test signs up its own organisation from 127.0.0.1; the sign-up limit
        # (20 an hour per address, tested in tests/api) would refuse the 21st of a run.
        "SIGNUP_MAX_PER_ADDRESS": "100000",
    }
    env = app_environment(settings, work=work)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "SECRET_STORE_FILE"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "inventory.py", "migrate"], cwd=REPO, env=env, check=True, timeout=120
    )
    log = work / "app.log"
    app = start_web_app(port, env, log, timeout=START_TIMEOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _check_it_is_ours(url, app.proc, log)
        yield RunningApp(url, env)
    finally:
        app.stop(grace=15)


def _check_it_is_ours(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    answer = httpx.post(
        f"{url}/api/token", data={"username": ADMIN[0], "password": ADMIN[1]}, timeout=30
    )
    if proc.poll() is not None or answer.status_code != 200:
        raise RuntimeError(f"another app answers on {url}:\n{log.read_text()[-4000:]}")


@pytest.fixture
def new_context(browser: Browser, app_url: str) -> Iterator[object]:
    """Factory of fresh browser contexts (separate storage: separate sessions)."""
    made: list[BrowserContext] = []

    def factory(*, phone: bool = False) -> BrowserContext:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 860}
        context = browser.new_context(base_url=app_url, viewport=viewport)
        context.add_init_script(SOCKET_SPY)
        made.append(context)
        return context

    yield factory
    for context in made:
        context.close()
