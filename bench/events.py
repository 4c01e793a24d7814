"""Commit → seen latency of live events, on the embedded default and on PostgreSQL + Redis.

    .venv/bin/python -m bench.events [--changes 1000] [--clients 200] [--rate 50]
                                     [--modes embedded,pg-redis] [--endpoints 3]
                                     [--worker-threads 4]

Per mode, five processes on 127.0.0.1 (ports 8400-8499, Redis database 15):

- *server*: the REST API under uvicorn with the event bus listening and the webhook
  dispatcher running (what a web backend worker runs); it also records when each event
  reaches the bus's consumers there, i.e. where ``state.live`` fans out to the dashboards
  of that worker ("dashboard fan-out"; the Reflex socket emit after it is not timed);
- *clients*: ``--clients`` SSE connections (all timed);
- *receiver*: the webhook receiver behind ``--endpoints`` endpoints of the tenant
  (keep-alive HTTP/1.1; a batch's array counts each event it carries);
- a Celery worker (``--worker-threads`` threads) delivering the webhooks;
- *writer*: ``--changes`` issues at ``--rate`` per second through ``stock.issue_stock``,
  recording the wall-clock time each one committed.

Before the measured changes, the writer makes one warm-up change and waits until every
endpoint has received it (the worker's first connections and imports are not the steady
state); it is left out of every figure. So every event crosses processes through the
transport (audit tail / Redis pub/sub).
Prints median and p99 per consumer, and for the webhooks the share of (endpoint, event)
deliveries that arrived while the writer was still writing ("during the run").
Redis: ``BENCH_REDIS_URL`` (default database 15 of the local server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
API_PORT, RECEIVER_PORT = 8470, 8471


def _setup(work: Path, mode: str, endpoints: int) -> dict[str, str]:
    """A fresh database with one tenant, its admin, one item and its webhooks; the env."""
    env = {
        "SECRET_KEY": "bench-events-secret-key-" + "x" * 16,
        "WEBHOOK_ALLOW_LOOPBACK": "1",
        "CELERY_DATA_DIR": str(work),
        "SSE_QUEUE_SIZE": "5000",
        "LOG_LEVEL": "WARNING",
    }
    if mode == "embedded":
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
        os.environ.pop("REDIS_URL", None)
    else:
        env["REDIS_URL"] = REDIS_URL
    os.environ.update(env)
    from bench._pg import fresh_database
    from stock_saas.config import get_settings
    from stock_saas.migrations import upgrade_to_head

    get_settings.cache_clear()
    if mode == "embedded":
        upgrade_to_head(env["DATABASE_URL"])
    else:
        env["DATABASE_URL"] = fresh_database("stock_saas_bench_events")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    from stock_saas.security.tokens import issue_token
    from stock_saas.services import stock, webhooks
    from stock_saas.services.core import Role, Source
    from stock_saas.services.people import create_user, ensure_tenant, operator_context

    tenant = ensure_tenant("Bench")
    ctx = operator_context(tenant, source=Source.CLI, actor_name="bench")
    user = create_user(
        ctx=ctx, username="bench-admin", password="bench-password-1", role=Role.ADMIN
    )
    stock.add_stock(ctx=ctx, name="Gloves", quantity=10_000_000, threshold=1)
    for n in range(endpoints):
        webhooks.create_endpoint(
            ctx=ctx, url=f"http://127.0.0.1:{RECEIVER_PORT}/hook/{n}", event_types=["stock.changed"]
        )
    env["BENCH_TENANT"] = str(tenant.id)
    env["BENCH_TOKEN"] = issue_token(user_id=user.id, tenant_id=int(tenant.id or 0), role="admin")
    return env


# ---- roles (each runs in its own process) --------------------------------------------


def run_server(out: Path) -> None:
    import uvicorn

    from stock_saas.api.app import create_app
    from stock_saas.services import events
    from stock_saas.tasks.webhooks import install_dispatcher

    seen: dict[str, float] = {}

    def note(envelope: events.Envelope) -> None:
        seen.setdefault(envelope.id, time.time())

    events.subscribe(note)
    install_dispatcher()
    signal.signal(signal.SIGTERM, lambda *_: (out.write_text(json.dumps(seen)), os._exit(0)))
    uvicorn.run(create_app(), host="127.0.0.1", port=API_PORT, log_level="warning")


def _until_writer_done(work: Path) -> None:
    """Wait for the writer's last change, then the 10 s tail of deliveries."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not (work / "writer-done").exists():
        time.sleep(0.2)
    time.sleep(10)


def run_receiver(out: Path) -> None:
    """The tenant's webhook receivers (one path per endpoint), in a process of their own as
    a real receiver is: sharing one with the SSE clients, its thread waited for the GIL
    behind 10,000 SSE lines a second, and that wait was counted as delivery time."""
    hooks: dict[str, dict[str, float]] = {}

    class Receiver(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            now, first = time.time(), self.path not in hooks
            seen = hooks.setdefault(self.path, {})
            for event in body if isinstance(body, list) else [body]:
                seen.setdefault(event["id"], now)
            if first:  # the writer's warm-up waits for every endpoint's first delivery
                (out.parent / f"warm{self.path.replace('/', '-')}").touch()
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (out.parent / "receiver-ready").write_text("ok")
    _until_writer_done(out.parent)
    out.write_text(json.dumps(hooks))


def run_clients(out: Path, clients: int, changes: int) -> None:
    sse: list[dict[str, float]] = [{} for _ in range(clients)]

    request = (
        f"GET /api/events?tenant_id={os.environ['BENCH_TENANT']} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {os.environ['BENCH_TOKEN']}\r\n"
        "Accept: text/event-stream\r\n\r\n"
    ).encode()

    async def follow(index: int, ready: asyncio.Event) -> None:
        # A bare asyncio reader: the clients must not be what the bench measures.
        reader, writer = await asyncio.open_connection("127.0.0.1", API_PORT)
        writer.write(request)
        seen = sse[index]
        try:
            while line := await reader.readline():
                if line.startswith(b"id: "):
                    seen[line[4:].strip().decode()] = time.time()
                    if len(seen) > changes:  # the writer's warm-up change, then its changes
                        return
                elif line.startswith(b": connected"):
                    ready.set()
        finally:
            writer.close()

    async def main() -> None:
        readies = [asyncio.Event() for _ in range(clients)]
        tasks = [asyncio.create_task(follow(i, readies[i])) for i in range(clients)]
        await asyncio.gather(*(r.wait() for r in readies))
        (out.parent / "clients-ready").write_text("ok")
        await asyncio.to_thread(_until_writer_done, out.parent)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    out.write_text(json.dumps(sse))


def run_writer(out: Path, changes: int, rate: float, endpoints: int) -> None:
    from stock_saas.services import events, stock
    from stock_saas.services.core import Source
    from stock_saas.services.people import get_tenant, operator_context

    events.install_publisher()
    ctx = operator_context(
        get_tenant(tenant_id=int(os.environ["BENCH_TENANT"])), source=Source.API, actor_name="w"
    )
    # Warm-up, not measured: one change, then wait until every endpoint received it, so the
    # figures are the steady state's and not a worker's first connections and imports.
    stock.issue_stock(ctx=ctx, item="Gloves", quantity=1)
    deadline = time.monotonic() + 120
    while not all((out.parent / f"warm-hook-{n}").exists() for n in range(endpoints)):
        if time.monotonic() > deadline:
            raise SystemExit("the warm-up change did not reach every webhook endpoint")
        time.sleep(0.05)
    committed: dict[str, float] = {}
    start = time.monotonic()
    for n in range(changes):
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
        change = stock.issue_stock(ctx=ctx, item="Gloves", quantity=1)
        committed[str(change.audit_id)] = time.time()
    events.stop_bus()  # flush what is still to publish
    out.write_text(json.dumps(committed))
    (out.parent / "writer-done").write_text(str(time.time()))


# ---- the driver ----------------------------------------------------------------------


def _spawn(role: str, work: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bench.events", "--role", role, "--work", str(work), *extra]
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, **env})


def _wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{proc.args!r} did not produce {path.name}")
        time.sleep(0.1)


def _summary(label: str, committed: dict[str, float], seen: list[dict[str, float]]) -> str:
    lags = [s[i] - t for s in seen for i, t in committed.items() if i in s]
    expected = len(committed) * len(seen)
    if not lags:
        return f"  {label:<34} nothing seen"
    lags.sort()
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
    return (
        f"  {label:<34} median {statistics.median(lags) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms"
        f"   seen {len(lags)}/{expected}"
    )


def _during_run(committed: dict[str, float], hooks: dict[str, dict[str, float]],
                endpoints: int, writer_done: float) -> str:  # fmt: skip
    arrived = sum(
        1 for seen in hooks.values() for i, t in seen.items() if i in committed and t <= writer_done
    )
    expected = len(committed) * endpoints
    return f"  webhooks delivered during the run: {arrived}/{expected} ({arrived / expected:.1%})"


def run_mode(
    mode: str, changes: int, clients: int, rate: float, endpoints: int, threads: int
) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"bench-events-{mode}-"))
    env = _setup(work, mode, endpoints)
    server = _spawn("server", work, env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "stock_saas.tasks.celery_app", "worker",
         "--pool=threads", f"--concurrency={threads}", "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip"],
        cwd=REPO, env={**os.environ, **env},
    )  # fmt: skip
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{API_PORT}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        receiver = _spawn("receiver", work, env)
        _wait_for(work / "receiver-ready", receiver)
        clients_proc = _spawn(
            "clients", work, env, "--clients", str(clients), "--changes", str(changes)
        )
        _wait_for(work / "clients-ready", clients_proc)
        writer = _spawn(
            "writer", work, env, "--changes", str(changes), "--rate", str(rate),
            "--endpoints", str(endpoints),
        )  # fmt: skip
        writer.wait()
        clients_proc.wait(timeout=900)
        receiver.wait(timeout=60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    committed = json.loads((work / "writer.json").read_text())
    received = json.loads((work / "clients.json").read_text())
    hooks = json.loads((work / "receiver.json").read_text())
    fanout = json.loads((work / "server.json").read_text())
    writer_done = float((work / "writer-done").read_text())
    print(
        f"{mode}: {changes} changes at {rate:g}/s, {clients} SSE clients connected, "
        f"{endpoints} webhook endpoints, worker threads: {threads}"
    )
    print(_summary(f"(a) SSE, all {clients} clients", committed, received))
    print(_summary("(a) SSE, first client", committed, received[:1]))
    print(_summary("(b) dashboard fan-out (web backend)", committed, [fanout]))
    per_endpoint = [hooks.get(f"/hook/{n}", {}) for n in range(endpoints)]
    print(_summary("(c) webhook receivers (via Celery)", committed, per_endpoint))
    print(_during_run(committed, hooks, endpoints, writer_done))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--modes", default="embedded,pg-redis")
    parser.add_argument("--endpoints", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=4)
    parser.add_argument("--role", choices=["server", "clients", "receiver", "writer"])
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.role == "server":
        run_server(args.work / "server.json")
    elif args.role == "clients":
        run_clients(args.work / "clients.json", args.clients, args.changes)
    elif args.role == "receiver":
        run_receiver(args.work / "receiver.json")
    elif args.role == "writer":
        run_writer(args.work / "writer.json", args.changes, args.rate, args.endpoints)
    else:
        for mode in args.modes.split(","):
            run_mode(
                mode, args.changes, args.clients, args.rate, args.endpoints, args.worker_threads
            )


if __name__ == "__main__":
    main()
