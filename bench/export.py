"""Audit export end to end through a real Celery worker, against PostgreSQL's own COPY.

    .venv/bin/python -m bench.export [--rows 100000]

Seeds ROWS audit rows (one tenant, some formula-like text) in the database
stock_saas_bench_export (re-created), starts a worker (``--pool=solo``) on Redis
databases 14/15 (flushed), then in one run times: the export from request to "done"
(enqueue, worker picks it up, streams, writes the file), and ``COPY (SELECT the same
columns … ORDER BY id) TO STDOUT WITH CSV`` of the same rows into a file, each the median
of three runs after VACUUM ANALYZE. Prints both, the ratio and the worker's peak RSS
growth (VmHWM after the exports minus VmRSS after a warm-up export). Aim: under 10 s,
within 5x of COPY, under 100 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
from celery import Celery
from sqlalchemy import text

from bench._pg import fresh_database
from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.services import exports, stock
from stock_saas.services.core import Context, Source
from stock_saas.services.people import ensure_tenant, operator_context
from stock_saas.tasks.celery_app import configure

REDIS = "redis://127.0.0.1:6379"
BROKER_DB, RESULTS_DB = 14, 15
ROUNDS = 3
SEED = """
INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id, item_name,
    department_name, actor_id, actor_name, source, action, delta, quantity_after,
    threshold, note, created_at)
SELECT :tenant, :level, :item, :department, 'Nitrile gloves (M)', 'Ward 3', NULL,
    'nurse-' || (g % 40), 'api', CASE WHEN g % 3 = 0 THEN 'restock' ELSE 'issue' END,
    CASE WHEN g % 3 = 0 THEN 12 ELSE -1 END, 1000 + g % 500, 100,
    CASE WHEN g % 50 = 0 THEN '=HYPERLINK("http://x.test")' ELSE 'shift ' || g END,
    now() - (:rows - g) * interval '1 second'
FROM generate_series(1, :rows) AS g
"""
COPY = (
    "COPY (SELECT id, created_at, item_id, item_name, department_id, department_name, action,"
    " delta, quantity_after, threshold, actor_name, source, note FROM audit_log"
    " WHERE tenant_id = {tenant} ORDER BY id) TO STDOUT WITH CSV HEADER"
)


def _memory(pid: int, field: str) -> int:
    """VmRSS / VmHWM of a process in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for {pid}")


def _start_worker(workdir: Path) -> subprocess.Popen[bytes]:
    log = (workdir / "worker.log").open("wb")
    command = [
        sys.executable, "-m", "celery", "-A", "stock_saas.tasks.celery_app", "worker",
        "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=workdir, env=os.environ.copy(), stdout=log, stderr=log)
    return process


def _export(client: Celery, ctx: Context, limit: int | None) -> tuple[float, Path]:
    """Seconds from the request to a finished file, and the file."""
    began = time.perf_counter()
    requested = exports.request_export(ctx=ctx, limit=limit)
    client.send_task("stock_saas.tasks.exports.run_export", args=(ctx.tenant_id, requested.task_id))
    while True:
        status = exports.export_status(ctx=ctx, task_id=requested.task_id)
        if status.status in ("done", "failed"):
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - began
    if status.status != "done":
        raise SystemExit(f"export failed: {status.error}")
    return elapsed, exports.export_file(ctx=ctx, task_id=requested.task_id).path


def _copy(dsn: str, tenant_id: int, workdir: Path) -> float:
    """Seconds for PostgreSQL to write the same rows as CSV to a file here."""
    with psycopg.connect(dsn) as connection, (workdir / "copy.csv").open("wb") as out:
        began = time.perf_counter()
        with connection.cursor().copy(COPY.format(tenant=tenant_id)) as copy:
            for chunk in copy:
                out.write(chunk)
        return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    for number in (BROKER_DB, RESULTS_DB):
        redis.Redis.from_url(f"{REDIS}/{number}").flushdb()
    os.environ.update(
        CELERY_BROKER_URL=f"{REDIS}/{BROKER_DB}",
        CELERY_RESULT_BACKEND=f"{REDIS}/{RESULTS_DB}",
        EXPORT_DIR=str(workdir / "exports"),
    )
    url = fresh_database("stock_saas_bench_export")
    tenant = ensure_tenant("bench")
    ctx = operator_context(tenant, source=Source.API, actor_name="bench")
    seeded = stock.add_stock(ctx=ctx, name="Nitrile gloves (M)", quantity=1000, department="Ward 3")
    with db.write_session() as session:
        session.execute(
            text(SEED),
            {
                "tenant": ctx.tenant_id,
                "level": seeded.stock_level_id,
                "item": seeded.item_id,
                "department": seeded.department_id,
                "rows": args.rows,
            },
        )
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE audit_log")  # hint bits set: both sides read alike
    total = args.rows + 1  # the seed's own "add" row

    copy_seconds = statistics.median(_copy(dsn, ctx.tenant_id, workdir) for _ in range(ROUNDS))
    worker = _start_worker(workdir)
    client = configure(Celery("bench"), get_settings())
    try:
        _export(client, ctx, limit=10)  # warm-up: imports, connections
        baseline = _memory(worker.pid, "VmRSS")
        runs = [_export(client, ctx, limit=None) for _ in range(ROUNDS)]
        peak = _memory(worker.pid, "VmHWM")
    finally:
        worker.terminate()
        worker.wait(30)
        client.close()
    seconds = statistics.median(elapsed for elapsed, _ in runs)
    with runs[-1][1].open("rb") as exported:
        written = sum(1 for _ in exported) - 1  # the header

    print(f"rows exported:                         {written:>9,} (expected {total:,})")
    print(f"export, request to file (worker):      {seconds:9.2f} s  (median of {ROUNDS})")
    print(f"PostgreSQL COPY ... TO STDOUT WITH CSV: {copy_seconds:9.2f} s  (median of {ROUNDS})")
    print(f"ratio export/COPY:                     {seconds / copy_seconds:9.1f}x")
    print(f"worker peak RSS growth:                {(peak - baseline) / 2**20:9.1f} MB")


if __name__ == "__main__":
    main()
