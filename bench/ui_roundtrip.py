"""Live dashboard latency: N websocket clients, one issues stock, everyone sees the delta.

    .venv/bin/python -m bench.ui_roundtrip [--clients 1,20,100] [--rounds 40] [--backend pg]

Starts the app (``reflex run --env prod``) on a free port with its own database: the
embedded default (SQLite, Reflex's disk state manager) or ``pg`` (a throw-away
PostgreSQL database plus Redis for Reflex's state manager). N raw Socket.IO clients
speak Reflex's websocket protocol like a browser tab: each sets its session token,
opens the dashboard (which registers it for live updates) and listens. In every round a
random client issues one unit through the dashboard's own event handlers; the bench
times, from the moment the submit event is sent,

* ``own``: until that client receives the state delta with the new quantity;
* ``fan-out``: until each of the other clients receives it (pushed by the live bridge).

It prints median and p99 per client count. Rounds run one after another (latency, not
throughput).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import simple_websocket

from scripts.run_all import app_environment
from tests.support.processes import Process, start_web_app

REPO = Path(__file__).resolve().parent.parent
PORTS = range(8200, 8300)
REDIS_URL = "redis://127.0.0.1:6379/14"
NAMESPACE = "/_event"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8200-8299")


def _prepare_database(backend: str, work: Path) -> dict[str, str]:
    """Environment of the app and this process: a fresh database, a key, maybe Redis."""
    env = {"SECRET_KEY": secrets.token_urlsafe(32), "ADMIN_PASSWORD": "bench-admin-password"}
    if backend == "pg":
        from bench._pg import fresh_database

        env["DATABASE_URL"] = fresh_database("stock_saas_bench_ui")
        env["REDIS_URL"] = REDIS_URL
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
    os.environ.update(env)
    from stock_saas import db
    from stock_saas.config import get_settings

    get_settings.cache_clear()
    db.dispose_engines()
    return env


def _seed() -> tuple[str, int]:
    """An organisation with an item of plenty; a session token of its admin."""
    from stock_saas.bootstrap import bootstrap
    from stock_saas.security.tokens import issue_token
    from stock_saas.services import people, stock
    from stock_saas.services.core import Context, Role, Source

    bootstrap()
    admin = people.register(
        username=f"bench-{uuid.uuid4().hex[:6]}",
        password="bench-password-1",
        organisation=f"Bench {uuid.uuid4().hex[:6]}",
    )
    ctx = Context(tenant_id=admin.tenant_id, role=Role.ADMIN, source=Source.CLI, user_id=admin.id)
    change = stock.add_stock(ctx=ctx, name="Bench gloves", quantity=10_000_000, threshold=0)
    token = issue_token(user_id=admin.id, tenant_id=admin.tenant_id, role=admin.role)
    return token, change.stock_level_id


def _start_app(port: int, env: dict[str, str], work: Path) -> Process:
    """The app on ``port`` with ``env`` on top of this process's, built in ``work``."""
    return start_web_app(port, app_environment(env, work=work), work / "app.log")


class Tab:
    """One simulated browser tab on the dashboard, over Reflex's Socket.IO websocket."""

    def __init__(self, port: int, session_token: str, level_id: int) -> None:
        self.port, self.session_token, self.level_id = port, session_token, level_id
        self.client_token = str(uuid.uuid4())
        self.seen: dict[int, float] = {}  # quantity of the level -> when it first arrived
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.other_frames: list[str] = []

    async def connect(self) -> None:
        from reflex_base import constants

        url = (
            f"ws://127.0.0.1:{self.port}{NAMESPACE}/?EIO=4&transport=websocket"
            f"&token={self.client_token}"
        )
        self.ws = await simple_websocket.AioClient.connect(
            url, subprotocols=[constants.Reflex.VERSION]
        )
        while not str(await self.ws.receive(timeout=10)).startswith("0"):
            pass  # until the engine.io open packet
        await self.ws.send(f"40{NAMESPACE},{{}}")
        while not str(await self.ws.receive(timeout=10)).startswith(f"40{NAMESPACE}"):
            pass  # until the namespace is connected
        self.reader = asyncio.create_task(self._read())
        await self.send(_update_vars(self.session_token))
        await self.send(_named("dashboard", "open_page", {}))
        deadline = time.monotonic() + 30
        while not self.seen and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if not self.seen:
            raise RuntimeError("the dashboard never showed the bench item")

    async def send(self, event: dict[str, Any]) -> None:
        await self.ws.send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    async def _read(self) -> None:
        while True:
            try:
                frame = str(await self.ws.receive())
            except simple_websocket.ConnectionClosed:
                return
            now = time.perf_counter()
            if frame == "2":
                await self.ws.send("3")
                continue
            if not frame.startswith(f"42{NAMESPACE},"):
                continue
            message = json.loads(frame[len(NAMESPACE) + 3 :])
            if len(message) != 2 or message[0] != "event" or not isinstance(message[1], dict):
                self.other_frames.append(frame[:200])
                continue
            for quantity in _quantities(message[1].get("delta") or {}, self.level_id):
                self.seen.setdefault(quantity, now)

    async def issue_one(self) -> float:
        await self.send(_named("actions", "start", {"action": "issue", "level_id": self.level_id}))
        await asyncio.sleep(0.05)  # the dialog opens; then the user presses Enter
        sent = time.perf_counter()
        form = {"__reflex_form_data__": [["quantity", "1"], ["note", ""]]}
        await self.send(_named("actions", "submit_movement", {"form": form}))
        return sent

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        await self.ws.close()


def _state_name(which: str) -> str:
    from stock_saas.state.actions import ActionState
    from stock_saas.state.auth import AuthState
    from stock_saas.state.dashboard import DashboardState

    states: dict[str, Any] = {
        "dashboard": DashboardState,
        "actions": ActionState,
        "auth": AuthState,
    }
    return str(states[which].get_full_name())


def _named(which: str, handler: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": f"{_state_name(which)}.{handler}",
        "payload": payload,
        "router_data": {"pathname": "/", "asPath": "/"},
    }


def _update_vars(session_token: str) -> dict[str, Any]:
    return {
        "name": "reflex___state____state.reflex___state____update_vars_internal_state."
        "update_vars_internal",
        "payload": {"vars": {f"{_state_name('auth')}.session_token_rx_state_": session_token}},
        "router_data": {"pathname": "/", "asPath": "/"},
    }


def _quantities(delta: dict[str, Any], level_id: int) -> list[int]:
    found = []
    for fields in delta.values():
        for key, value in fields.items():
            if key.startswith("rows") and isinstance(value, list):
                found += [r["quantity"] for r in value if r.get("id") == level_id]
    return found


def _quantity_now(level_id: int) -> int:
    """The level's quantity in the database (read between rounds, outside the timing)."""
    from sqlalchemy import text

    from stock_saas.db import read_session

    with read_session() as session:
        return int(
            session.execute(
                text("SELECT quantity FROM stock_levels WHERE id = :id"), {"id": level_id}
            ).scalar_one()
        )


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(port: int, token: str, level_id: int, clients: int, rounds: int) -> str:
    tabs = [Tab(port, token, level_id) for _ in range(clients)]
    for start in range(0, clients, 20):
        await asyncio.gather(*(t.connect() for t in tabs[start : start + 20]))
    own: list[float] = []
    fanout: list[float] = []
    missing = 0
    for _ in range(rounds):
        issuer = random.choice(tabs)
        target = await asyncio.to_thread(_quantity_now, level_id) - 1
        sent = await issuer.issue_one()
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline and not all(target in t.seen for t in tabs):
            await asyncio.sleep(0.002)
        for tab in tabs:
            if target not in tab.seen:
                missing += 1
            elif tab is issuer:
                own.append((tab.seen[target] - sent) * 1000)
            else:
                fanout.append((tab.seen[target] - sent) * 1000)
        await asyncio.sleep(0.05)
    await asyncio.gather(*(t.close() for t in tabs))
    odd = [f for t in tabs for f in t.other_frames]
    if odd:
        print(f"  ({len(odd)} other frames, e.g. {odd[0]!r})")
    line = f"{clients:>4} clients"
    for label, values in (("own", own), ("fan-out", fanout)):
        if values:
            line += (
                f"  {label}: median {statistics.median(values):6.1f} ms"
                f"  p99 {_p(values, 0.99):6.1f} ms"
            )
    if missing:
        line += f"   ({missing} deliveries missing after 5 s)"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,20,100")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--backend", choices=("embedded", "pg"), default="embedded")
    parser.add_argument("--keep-log", metavar="FILE", help="copy the app's log here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        work = Path(tmp)
        env = _prepare_database(args.backend, work)
        token, level_id = _seed()
        port = _free_port()
        app = _start_app(port, env, work)
        try:
            label = "SQLite + disk state" if args.backend == "embedded" else "PostgreSQL + Redis"
            print(f"ui_roundtrip on {label}, {args.rounds} rounds per client count")
            for clients in (int(c) for c in args.clients.split(",")):
                print(asyncio.run(measure(port, token, level_id, clients, args.rounds)), flush=True)
        finally:
            app.stop(grace=15)
            if args.keep_log:
                Path(args.keep_log).write_bytes((work / "app.log").read_bytes())


if __name__ == "__main__":
    main()
