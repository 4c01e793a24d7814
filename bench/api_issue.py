"""Issue throughput through the REST API next to the same operation as raw SQL, one run.

    .venv/bin/python -m bench.api_issue [--seconds 10] [--clients 16] [--workers 2]
                                        [--profile FILE]

Against the local PostgreSQL (database stock_saas_bench, re-created):

1. raw SQL: pgbench, ``--clients`` connections, each looping on BEGIN; guarded
   ``UPDATE stock_levels ... WHERE quantity >= 1 RETURNING``; audit ``INSERT``; COMMIT
   on its own stock level (psycopg threads if pgbench is missing);
2. the API: ``uvicorn --factory stock_saas.api.app:create_app --workers 2`` on
   127.0.0.1:8150, ``--clients`` keep-alive connections, each looping on
   ``POST /api/items/issue`` for its own item (Bearer token, tenant check, role re-read
   from the database, validation, the service, the JSON answer).

The load generator is a minimal asyncio HTTP/1.1 client (no httpx) so that the client's
own CPU, on the same machine, disturbs the server as little as possible. Prints both
rates, the ratio, p50/p99 latency, the uvicorn workers' CPU time per request (user +
system, from /proc: steadier than the rate on a shared machine), each worker's share of a
core and how many of the client connections it holds. ``--profile FILE``
samples the uvicorn workers with py-spy (``pip install py-spy``) during the measured run,
writes the collapsed stacks to FILE and prints the functions with the most samples, on
the stack and on top of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psycopg

from bench._pg import fresh_database
from stock_saas.config import get_settings
from stock_saas.security.tokens import issue_token
from stock_saas.services import stock
from stock_saas.services.core import Role, Source
from stock_saas.services.people import create_user, ensure_tenant, operator_context
from stock_saas.services.stock import list_stock

HOST, PORT = "127.0.0.1", 8150
BENCH_SECRET = "bench-only-secret-" + "x" * 40

PGBENCH_SCRIPT = """\
\\set level :first_level + :client_id
BEGIN;
UPDATE stock_levels SET quantity = quantity - 1
 WHERE id = :level AND tenant_id = :tenant AND quantity >= 1
 RETURNING item_id AS item, department_id AS dept, quantity AS q, threshold AS th \\gset
INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id, item_name,
  department_name, actor_name, source, action, delta, quantity_after, threshold, note,
  created_at)
 VALUES (:tenant, :level, :item, :dept, 'Item', 'General', 'bench', 'api', 'issue', -1,
  :q, :th, '', now());
END;
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def raw_with_pgbench(
    dsn: str, tenant: int, clients: int, seconds: float
) -> tuple[float, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="pgbench-"))
    script = work / "issue.sql"
    script.write_text(PGBENCH_SCRIPT)
    with psycopg.connect(dsn) as connection:
        levels = [r[0] for r in connection.execute(
            "SELECT id FROM stock_levels WHERE tenant_id = %s ORDER BY id", (tenant,)
        )]  # fmt: skip
    # Client n works on stock level first_level + n: one row each, as the API clients do.
    assert levels == list(range(levels[0], levels[0] + len(levels))), "levels not contiguous"
    command = [
        "pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(int(seconds)),
        "-D", f"first_level={levels[0]}", "-D", f"tenant={tenant}",
        "-f", str(script), "-l", "--log-prefix", str(work / "tx"), dsn,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    tps = next(
        float(line.split("=")[1].split()[0])
        for line in done.stdout.splitlines()
        if line.startswith("tps")
    )
    latencies = [
        int(line.split()[2]) / 1000.0  # microseconds -> ms
        for log in work.glob("tx*")
        for line in log.read_text().splitlines()
    ]
    shutil.rmtree(work)
    return tps, latencies


def raw_with_threads(
    dsn: str, tenant: int, clients: int, seconds: float
) -> tuple[float, list[float]]:
    with psycopg.connect(dsn) as connection:
        levels = [r[0] for r in connection.execute(
            "SELECT id FROM stock_levels WHERE tenant_id = %s ORDER BY id", (tenant,)
        )]  # fmt: skip
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        with psycopg.connect(dsn) as connection:
            while time.monotonic() < stop:
                began = time.perf_counter()
                with connection.transaction():
                    q, th = connection.execute(
                        "UPDATE stock_levels SET quantity = quantity - 1 WHERE id = %s AND "
                        "tenant_id = %s AND quantity >= 1 RETURNING quantity, threshold",
                        (levels[index], tenant),
                    ).fetchone()  # type: ignore[misc]
                    connection.execute(
                        "INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id,"
                        " item_name, department_name, actor_name, source, action, delta,"
                        " quantity_after, threshold, note, created_at) VALUES (%s, %s, 0, 0,"
                        " 'Item', 'General', 'bench', 'api', 'issue', -1, %s, %s, '', now())",
                        (tenant, levels[index], q, th),
                    )
                latencies[index].append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [v for per in latencies for v in per]
    return len(flat) / (time.monotonic() - began), flat


async def _client(body: bytes, token: str, stop: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(HOST, PORT)
    request = (
        f"POST /api/items/issue HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        while time.monotonic() < stop:
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            answer = await reader.readexactly(length)
            if status != 200:
                raise RuntimeError(f"{status}: {answer!r}")
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        writer.close()


async def api_load(bodies: list[bytes], token: str, seconds: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    began = time.monotonic()
    stop = began + seconds
    await asyncio.gather(*(_client(body, token, stop, latencies) for body in bodies))
    return len(latencies) / (time.monotonic() - began), latencies


def start_server(workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory", "stock_saas.api.app:create_app",
            "--host", HOST, "--port", str(PORT), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{PORT}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("uvicorn did not come up")


def worker_pids(server_pid: int) -> list[int]:
    """``server_pid``'s child processes that serve requests (multiprocessing's resource
    tracker left out); empty where /proc is missing."""
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
        return [
            int(child)
            for child in children
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
        ]
    except OSError:
        return []


def workers_cpu_seconds(server_pid: int) -> dict[int, float]:
    """User + system CPU seconds of each worker so far; empty where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    try:
        for pid in worker_pids(server_pid):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    except OSError:
        return {}
    return seconds


def workers_connections(server_pid: int) -> dict[int, int]:
    """How many established client connections to PORT each worker holds (from /proc).
    uvicorn's workers share one listening socket and whichever wakes first accepts every
    pending connection, so the keep-alive connections are seldom split evenly (printed so
    that a run can be read against its split)."""
    established: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(f":{PORT:04X}") and fields[3] == "01":  # ESTABLISHED
                established.add(fields[9])  # the socket's inode
    counts: dict[int, int] = {}
    for pid in worker_pids(server_pid):
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        sockets = [link[len("socket:[") : -1] for link in links if link.startswith("socket:[")]
        counts[pid] = sum(inode in established for inode in sockets)
    return counts


def start_profile(
    pid: int, seconds: float, out: Path, gil: bool = False
) -> subprocess.Popen[bytes]:
    """py-spy sampling ``pid`` and its children (the uvicorn workers) for ``seconds``;
    ``gil``: only the thread holding the GIL (where the CPU goes, not who waits)."""
    beside = Path(sys.executable).parent / "py-spy"  # the venv's, else the PATH's
    command = [
        str(beside) if beside.exists() else "py-spy", "record", "--pid", str(pid),
        "--subprocesses", "--format", "raw", "--rate", "200", "--duration", str(int(seconds)),
        "--nonblocking", "-o", str(out), *(["--gil"] if gil else []),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def print_profile(collapsed: Path, top: int = 20) -> None:
    """The functions with the most samples of the workers' request handling: on the stack
    (inclusive) and on top (self). Idle waits (event loop, thread pool) are left out."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [
            re.sub(r" \((?:.*/)?([^/]+?):\d+\)$", r" (\1)", frame)
            for frame in stack.split(";")
            if not frame.startswith("process ") and not frame.endswith('"')
        ]
        if not frames or frames[-1].split(" ")[0] in IDLE:
            continue
        total += int(count)
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + int(count)
        own[frames[-1]] = own.get(frames[-1], 0) + int(count)
    for title, table in (("on the stack", inclusive), ("on top (self)", own)):
        print(f"profile, {title}: share of {total} busy samples")
        for frame, n in sorted(table.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {n / total:6.1%}  {frame}")


IDLE = {
    "Condition.wait",
    "Runner.run",
    "select",
    "KqueueSelector.select",
    "EpollSelector.select",
    "_worker",  # concurrent.futures' idle thread, waiting for work
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="py-spy the workers into this file")
    parser.add_argument(
        "--gil", action="store_true", help="profile only the thread holding the GIL (CPU)"
    )
    args = parser.parse_args()

    os.environ["SECRET_KEY"] = BENCH_SECRET
    url = fresh_database("stock_saas_bench")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    tenant = ensure_tenant("bench")
    assert tenant.id is not None
    operator = operator_context(tenant, source=Source.CLI, actor_name="bench")
    for i in range(args.clients):
        stock.add_stock(ctx=operator, name=f"Item {i:02d}", quantity=100_000_000)
    clerk = create_user(ctx=operator, username="clerk", password="bench-pass-1", role=Role.USER)
    rows = sorted(list_stock(ctx=operator, limit=500).items, key=lambda r: r.stock_level_id)
    token = issue_token(user_id=clerk.id, tenant_id=tenant.id, role="user")
    bodies = [
        json.dumps(
            {
                "tenant_id": tenant.id,
                "item_id": r.item_id,
                "quantity": 1,
                "department": r.department_id,
            }
        ).encode()
        for r in rows
    ]

    raw = raw_with_pgbench if shutil.which("pgbench") else raw_with_threads
    raw_rate, raw_latency = raw(dsn, tenant.id, args.clients, args.seconds)

    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": BENCH_SECRET, "LOG_LEVEL": "WARNING"}
    server = start_server(args.workers, env)
    try:
        asyncio.run(api_load(bodies, token, 2.0))  # warm-up: pools, imports, plans
        profiler = (
            start_profile(server.pid, args.seconds, args.profile, args.gil)
            if args.profile
            else None
        )
        cpu_before = workers_cpu_seconds(server.pid)
        connections: dict[int, int] = {}  # sampled halfway through the measured run
        sampler = threading.Timer(
            args.seconds / 2, lambda: connections.update(workers_connections(server.pid))
        )
        sampler.start()
        api_rate, api_latency = asyncio.run(api_load(bodies, token, args.seconds))
        sampler.join()
        cpu_after = workers_cpu_seconds(server.pid)
        cpu_by_worker = [cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after]
        cpu_used = sum(cpu_by_worker)
        if profiler is not None:
            profiler.wait(60)
    finally:
        server.terminate()
        server.wait(10)

    settings = get_settings()
    assert settings.secret_key == BENCH_SECRET
    label = "pgbench" if raw is raw_with_pgbench else "psycopg threads"
    print(f"{args.clients} clients, {args.seconds:.0f} s each, uvicorn workers: {args.workers}")
    print(f"{'path':<44} {'ops/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for name, rate, latency in (
        (f"raw SQL, UPDATE + INSERT ({label})", raw_rate, raw_latency),
        ("POST /api/items/issue (uvicorn)", api_rate, api_latency),
    ):
        print(
            f"{name:<44} {rate:8.0f} {statistics.median(latency):7.1f} "
            f"{percentile(latency, 0.99):7.1f}"
        )
    print(f"ratio API / raw: {api_rate / raw_rate:.1%}")
    if cpu_used > 0:
        per_request = cpu_used * 1000 / max(1, len(api_latency))
        print(f"API workers' CPU per request: {per_request:.2f} ms")
        busy = " + ".join(f"{used / args.seconds:.0%}" for used in cpu_by_worker)
        print(f"each worker's CPU: {busy} of a core")
    if connections:
        split = " + ".join(str(n) for n in connections.values())
        print(f"client connections per worker: {split}")
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    if args.profile:
        print_profile(args.profile)


if __name__ == "__main__":
    main()
