"""The scheduled alert sweep at scale: first and steady sweep, in process and on workers.

    .venv/bin/python -m bench.sweep [--tenants 1000] [--levels 200] [--low 0.1]
        [--workers 1,2] [--redis redis://127.0.0.1:6379] [--old-tenants 20]

Seeds TENANTS x LEVELS stock levels (a fraction LOW below threshold, one audit row each,
an admin and a manager per tenant whose preference is "none", so no message leaves the
machine) in the scratch database stock_saas_bench_sweep (dropped at the end), then times:

- the raw-SQL floor: one statement counting the low levels without an open episode (what
  any sweep must at least read), the baseline every figure is divided by;
- the sweep in this process (``sweep_batches`` + ``check_tenants`` per batch): the first
  one (opens every episode and writes every notification row) and a steady one (nothing
  changed since);
- the same through Celery (``check_stock``: a chord of batches) with 1 and with 2 worker
  processes (``--pool=solo`` each) on Redis databases 12/13 of ``--redis`` (flushed);
- optionally the old per-level sweep (the tests' oracle) on the first ``--old-tenants``
  tenants, for its cost per low level.

Aims (issue 18): 200,000 levels / 20,000 low: first <= 20 s, steady <= 2 s;
1,000,000 / 100,000 low: steady <= 10 s; 2 workers about half of 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import Celery
from sqlalchemy import text

from bench._pg import drop_database, fresh_database
from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.services import alerts
from stock_saas.services.core import TenantBatch
from stock_saas.tasks.celery_app import configure
from stock_saas.tasks.system import system_context

NAME = "stock_saas_bench_sweep"
BROKER_DB, RESULTS_DB = 12, 13
SEED = [
    "INSERT INTO tenants (id, name, created_at) SELECT g, 'bench-' || g, now()"
    " FROM generate_series(1, :tenants) g",
    "SELECT setval('tenants_id_seq', :tenants)",
    "INSERT INTO departments (tenant_id, name, is_default, created_at)"
    " SELECT id, 'General', true, now() FROM tenants",
    "INSERT INTO users (tenant_id, username, password_hash, role, notification_preference,"
    " is_active, created_at)"
    " SELECT t.id, r.role || '-' || t.id, 'x', r.role, 'none', true, now()"
    " FROM tenants t CROSS JOIN (VALUES ('admin'), ('manager')) AS r(role)",
    "INSERT INTO items (tenant_id, name, notes, created_at)"
    " SELECT t.id, 'item-' || i, '', now() FROM tenants t, generate_series(1, :levels) i",
    # Every 1/low-th level is below its threshold.
    "INSERT INTO stock_levels (tenant_id, item_id, department_id, quantity, threshold)"
    " SELECT i.tenant_id, i.id, d.id,"
    " CASE WHEN i.id % :every = 0 THEN 2 ELSE 50 END, 10"
    " FROM items i JOIN departments d ON d.tenant_id = i.tenant_id",
    "INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id, item_name,"
    " department_name, actor_name, source, action, delta, quantity_after, threshold, note,"
    " created_at)"
    " SELECT s.tenant_id, s.id, s.item_id, s.department_id, 'item', 'General', 'seed', 'cli',"
    " 'add', s.quantity, s.quantity, s.threshold, '', now() FROM stock_levels s",
]
FLOOR = (
    "SELECT count(*) FROM stock_levels s WHERE s.quantity < s.threshold AND NOT EXISTS"
    " (SELECT 1 FROM alert_episodes e WHERE e.stock_level_id = s.id AND e.closed_at IS NULL)"
)
RESET = "TRUNCATE notifications, alert_episodes"


def _timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _execute(*statements: str, **params: int) -> None:
    with db.autocommit_connection() as connection:
        for statement in statements:
            connection.execute(text(statement), params)


def _sweep_in_process() -> None:
    for tenant_ids in alerts.sweep_batches():
        alerts.check_tenants(batch=TenantBatch.of(system_context(t) for t in tenant_ids))


def _old_sweep(tenants: int) -> None:
    from tests.services.alerts.oracle import check_tenant_per_level

    for tenant_id in range(1, tenants + 1):
        check_tenant_per_level(system_context(tenant_id))


@contextmanager
def _workers(count: int, workdir: Path) -> Iterator[Celery]:
    """``count`` worker processes, idle (their start-up sweep done), and a client."""
    processes = []
    for n in range(count):
        log = (workdir / f"worker-{n}.log").open("wb")
        command = [
            sys.executable, "-m", "celery", "-A", "stock_saas.tasks.celery_app", "worker",
            "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", f"bench-sweep-{n}-{os.getpid()}@%h",
        ]  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=workdir, stdout=log, stderr=log))
    client = configure(Celery("bench"), get_settings())
    try:
        _wait_idle(client, count)
        yield client
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)
        client.close()


def _wait_idle(client: Celery, count: int) -> None:
    """Until ``count`` workers answer and none has work queued, running or reserved."""
    queue = redis.Redis.from_url(get_settings().celery_broker_url or "")
    quiet = 0
    deadline = time.monotonic() + 300
    while quiet < 3:
        if time.monotonic() > deadline:
            raise SystemExit("workers did not become idle within 300 s")
        inspect = client.control.inspect(timeout=1.0)
        active, reserved = inspect.active() or {}, inspect.reserved() or {}
        busy = any(active.values()) or any(reserved.values()) or queue.llen("celery")
        quiet = quiet + 1 if len(active) == count and not busy else 0
        time.sleep(0.2)


def _sweep_on_workers(client: Celery) -> float:
    began = time.perf_counter()
    client.send_task("stock_saas.tasks.alerts.check_stock").get(timeout=1800)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--levels", type=int, default=200, help="stock levels per tenant")
    parser.add_argument("--low", type=float, default=0.1, help="fraction below threshold")
    parser.add_argument("--workers", default="1,2", help="worker counts to time ('' for none)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--old-tenants", type=int, default=0, help="time the old sweep too")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    for number in (BROKER_DB, RESULTS_DB):
        redis.Redis.from_url(f"{args.redis}/{number}").flushdb()
    os.environ.update(
        CELERY_BROKER_URL=f"{args.redis}/{BROKER_DB}",
        CELERY_RESULT_BACKEND=f"{args.redis}/{RESULTS_DB}",
        QUEUE_ON_EVENTS="false",
    )
    fresh_database(NAME)
    try:
        seconds = _timed(
            lambda: _execute(
                *SEED,
                "ANALYZE",
                tenants=args.tenants,
                levels=args.levels,
                every=round(1 / args.low),
            )
        )
        levels = args.tenants * args.levels
        print(f"seeded {levels:,} stock levels in {args.tenants:,} tenants in {seconds:.1f} s")
        _report(args, workdir)
    finally:
        drop_database(NAME)


def _report(args: argparse.Namespace, workdir: Path) -> None:
    with db.read_session() as session:
        low = session.execute(text(FLOOR)).scalar_one()
    floor = min(_timed(lambda: _execute(FLOOR)) for _ in range(3))
    print(f"low stock levels:                 {low:>10,}")
    print(f"raw SQL floor (count what a sweep must read): {floor:8.3f} s  (best of 3)")

    def line(label: str, seconds: float) -> None:
        print(f"{label:<42} {seconds:8.2f} s  {seconds / floor:8.0f}x floor")

    first = _timed(_sweep_in_process)
    line("sweep in process, first", first)
    line("sweep in process, steady", _timed(_sweep_in_process))
    for count in [int(n) for n in args.workers.split(",") if n]:
        _execute(RESET)
        with _workers(count, workdir) as client:
            _execute(RESET)  # the workers' start-up sweep already ran: start again
            line(f"sweep on {count} worker(s), first", _sweep_on_workers(client))
            line(f"sweep on {count} worker(s), steady", _sweep_on_workers(client))
    if args.old_tenants:
        _execute(RESET)
        old_low = round(args.old_tenants * args.levels * args.low)
        old = _timed(lambda: _old_sweep(args.old_tenants))
        again = _timed(lambda: _old_sweep(args.old_tenants))
        print(
            f"old per-level sweep, {args.old_tenants} tenants ({old_low:,} low): first"
            f" {old:.2f} s ({1000 * old / old_low:.2f} ms per low level),"
            f" steady {again:.2f} s ({1000 * again / old_low:.2f} ms per low level)"
        )
        print(f"set-based first sweep: {1000 * first / max(low, 1):.3f} ms per low level")


if __name__ == "__main__":
    main()
