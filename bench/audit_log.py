"""The audit log at 10 million rows: listing, item history and export against raw SQL.

    .venv/bin/python -m bench.audit_log [--rows 10000000] [--tenants 100] [--share 0.5]
        [--items 5000] [--departments 20] [--requests 100] [--export-rows 1000000]
        [--database stock_saas_bench_audit] [--reuse] [--keep]

Seeds the local PostgreSQL database DATABASE (re-created; dropped at the end unless
``--keep``; ``--reuse`` measures a kept one again) with ROWS audit rows over TENANTS
tenants, SHARE of them in one (``bench._audit_seed``: generate_series, about a year of
timestamps, skewed items, every action). Then, for the big tenant, calls in-process
(FastAPI TestClient: routing, token check, service, serialisation; no network)
``GET /api/audit/logs`` for the first page, a deep page by cursor and every filter the
/audit page offers (action, reason, department, period) and the API adds (item, date
range), alone and combined, and ``GET /api/items/{id}/history``. Each p95 is printed
with the raw-SQL floor of the same page measured in the same run (the newest 51 matching
rows, hand-written, over one prepared psycopg connection) and their ratio. Then the
export of the newest EXPORT_ROWS rows through ``exports.run_export`` (what the Celery
task runs, here in-process) against ``psql -c '\\copy (SELECT …) TO file'`` of the same
rows (median of three each), and the movement's write path on this table (pgbench:
guarded UPDATE + audit INSERT, 16 clients, 10 s). Aims (issue 18, item 5): listing p95
< 100 ms, history p95 < 50 ms, export within 5x of COPY.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from bench._audit_seed import seed_audit
from bench._pg import SERVER, drop_database, fresh_database
from bench.api_issue import percentile, raw_with_pgbench
from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head
from stock_saas.security.tokens import issue_token
from stock_saas.services import audit, exports
from stock_saas.services.core import Role, Source, write_cursor
from stock_saas.services.people import create_user, ensure_tenant, list_users, operator_context

Filter = dict[str, Any]
COLUMNS = (
    "id, created_at, item_id, item_name, department_id, department_name, action, delta,"
    " quantity_after, threshold, actor_name, source, note, reason"
)
RARE = ("import", "threshold", "add")
REASONS = ("counted", "damaged", "expired", "lost", "found", "correction")


def raw_page(flt: Filter) -> tuple[str, dict[str, Any]]:
    """The same page as hand-written SQL: the newest 51 matching rows (no count), in the
    listing's order; ``before`` is a cursor's (created_at, id)."""
    where = ["tenant_id = %(t)s"]
    for key, clause in (
        ("item_id", "item_id = %(item_id)s"),
        ("department_id", "department_id = %(department_id)s"),
        ("action", "action = %(action)s"),
        ("reason", "reason = %(reason)s"),
        ("since", "created_at >= %(since)s"),
        ("until", "created_at < %(until)s"),
        ("before", "created_at <= %(at)s AND (created_at < %(at)s OR id < %(before)s)"),
    ):
        if key in flt:
            where.append(clause)
    sql = (
        f"SELECT {COLUMNS} FROM audit_log WHERE {' AND '.join(where)}"
        " ORDER BY created_at DESC, id DESC LIMIT 51"
    )
    if "before" in flt:
        flt = {**flt, "at": flt["before"][0], "before": flt["before"][1]}
    return sql, flt


def time_raw(dsn: str, tenant_id: int, scenario: Callable[[random.Random], Filter], n: int):  # type: ignore[no-untyped-def]
    rng, times = random.Random(7), []
    with psycopg.connect(dsn, prepare_threshold=0) as connection:
        for i in range(n + 3):
            sql, params = raw_page(scenario(rng))
            started = time.perf_counter()
            connection.execute(sql, {**params, "t": tenant_id}).fetchall()  # type: ignore[arg-type]
            if i >= 3:
                times.append((time.perf_counter() - started) * 1000)
    return times


def time_api(client: TestClient, headers: dict[str, str], ctx: Any, scenario: Any, n: int):  # type: ignore[no-untyped-def]
    rng, times, rows = random.Random(7), [], 0
    for _ in range(n):
        flt = scenario(rng)
        if "history" in flt:
            url, params = f"/api/items/{flt['item_id']}/history", {}
        else:
            url = "/api/audit/logs"
            params = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in flt.items()}
            before = flt.get("before")
            if before is not None:  # a cursor as the previous page would have handed out
                del params["before"]
                binding = asdict(
                    audit.AuditFilter(**{k: v for k, v in flt.items() if k != "before"})
                )
                position = [before[0].isoformat(), before[1]]
                params["cursor"] = write_cursor(
                    ctx, listing="audit", binding=binding, position=position
                )
        started = time.perf_counter()
        response = client.get(
            url, params={**params, "limit": 50, "tenant_id": ctx.tenant_id}, headers=headers
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        rows += len(response.json()["entries"])
    return times, rows / n


def scenarios(
    conn: psycopg.Connection[Any], t: int
) -> dict[str, Callable[[random.Random], Filter]]:
    items = [
        r[0] for r in conn.execute("SELECT id FROM items WHERE tenant_id = %s ORDER BY id", (t,))
    ]
    depts = [r[0] for r in conn.execute(
        "SELECT id FROM departments WHERE tenant_id = %s AND name LIKE 'Dept %%'", (t,)
    )]  # fmt: skip
    deep = conn.execute(  # rows anywhere in the log, for cursors that start after them
        "SELECT created_at, id FROM audit_log TABLESAMPLE SYSTEM (0.1) REPEATABLE (18) "
        "WHERE tenant_id = %s", (t,)).fetchall()  # fmt: skip
    now = datetime.now(UTC)
    day = timedelta(days=1)

    def week(r: random.Random) -> Filter:
        start = now - r.randrange(7, 360) * day
        return {"since": start, "until": start + 7 * day}

    return {
        "first page": lambda r: {},
        "deep page (cursor)": lambda r: {"before": r.choice(deep)},
        "item (random)": lambda r: {"item_id": r.choice(items)},
        "item (most moved)": lambda r: {"item_id": items[0]},
        "department": lambda r: {"department_id": r.choice(depts)},
        "action issue (55%)": lambda r: {"action": "issue"},
        "action rare (0.5-3%)": lambda r: {"action": r.choice(RARE)},
        "reason (~0.8%)": lambda r: {"action": "adjust", "reason": r.choice(REASONS)},
        "period 24h": lambda r: {"since": now - day},
        "period 30d": lambda r: {"since": now - 30 * day},
        "date range (a week)": week,
        "dept + action": lambda r: {"department_id": r.choice(depts), "action": "restock"},
        "dept + rare action": lambda r: {
            "department_id": r.choice(depts),
            "action": r.choice(RARE),
        },
        "dept + 7d": lambda r: {"department_id": r.choice(depts), "since": now - 7 * day},
        "action + 30d": lambda r: {"action": r.choice(RARE), "since": now - 30 * day},
        "dept + rare action + 30d": lambda r: {
            "department_id": r.choice(depts),
            "action": r.choice(RARE),
            "since": now - 30 * day,
        },
        "item + action": lambda r: {"item_id": r.choice(items), "action": "restock"},
        "item + date range": lambda r: {"item_id": r.choice(items), **week(r)},
        "dept + date range": lambda r: {"department_id": r.choice(depts), **week(r)},
        "history (random item)": lambda r: {"history": 1, "item_id": r.choice(items)},
        "history (most moved)": lambda r: {"history": 1, "item_id": items[0]},
    }


def time_export(
    ctx: Any, dsn: str, tenant_id: int, rows: int, workdir: Path
) -> tuple[float, float, int]:
    """Seconds (medians of three) for the app's export and for psql's \\copy of the same rows."""
    with psycopg.connect(dsn) as connection:
        first = connection.execute(
            "SELECT id FROM audit_log WHERE tenant_id = %s ORDER BY id DESC OFFSET %s LIMIT 1",
            (tenant_id, rows - 1),
        ).fetchone()[0]  # type: ignore[index]
    copy = (
        f"\\copy (SELECT {COLUMNS} FROM audit_log WHERE tenant_id = {tenant_id}"
        f" AND id >= {first} ORDER BY id) TO '{workdir / 'copy.csv'}' WITH CSV HEADER"
    )
    app_times, copy_times, written = [], [], 0
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(["psql", "-q", "-X", dsn, "-c", copy], check=True)
        copy_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        requested = exports.request_export(ctx=ctx, limit=rows)
        status = exports.run_export(ctx=ctx, task_id=requested.task_id)
        app_times.append(time.perf_counter() - started)
        assert status.status == "done", status.error
        written = status.rows_written or 0
    return statistics.median(app_times), statistics.median(copy_times), written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--share", type=float, default=0.5, help="the big tenant's share")
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--database", default="stock_saas_bench_audit")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    os.environ["LOG_LEVEL"] = "WARNING"
    workdir = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    os.environ["EXPORT_DIR"] = str(workdir / "exports")
    dsn = f"{SERVER}/{args.database}".replace("postgresql+psycopg://", "postgresql://")
    if args.reuse:
        os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
        get_settings.cache_clear()
        upgrade_to_head()
    else:
        fresh_database(args.database)
        started = time.perf_counter()
        names = ["Bench Big"] + [f"Bench Small {n:03d}" for n in range(1, args.tenants)]
        tenants = [ensure_tenant(name).id for name in names]
        seed_audit(dsn, tenants, args.rows, args.share, args.items, args.departments, args.days)  # type: ignore[arg-type]
        print(f"seeded {args.rows:,} audit rows in {time.perf_counter() - started:.0f} s")
    try:
        measure(args, dsn, workdir)
    finally:
        shutil.rmtree(workdir)  # the exported files: hundreds of MB
        if not args.keep:
            drop_database(args.database)


def measure(args: argparse.Namespace, dsn: str, workdir: Path) -> None:
    tenant = ensure_tenant("Bench Big")
    assert tenant.id is not None
    t = tenant.id
    ctx = operator_context(tenant, source=Source.CLI, actor_name="bench")
    admin = next((u for u in list_users(ctx=ctx) if u.username == "bench-admin"), None)
    if admin is None:
        admin = create_user(
            ctx=ctx, username="bench-admin", password="bench-password-1", role=Role.ADMIN
        )
    headers = {
        "Authorization": f"Bearer {issue_token(user_id=admin.id, tenant_id=t, role='admin')}"
    }
    with psycopg.connect(dsn) as connection:
        count = connection.execute(
            "SELECT count(*) FROM audit_log WHERE tenant_id = %s", (t,)
        ).fetchone()[0]  # type: ignore[index]
        plan = scenarios(connection, t)
    print(f"big tenant: {count:,} rows; {args.requests} requests per line")
    print(f"{'scenario':<26} {'p50 ms':>7} {'p95 ms':>7} {'raw p95':>8} {'x raw':>6} {'rows':>5}")
    with TestClient(create_app()) as client:
        time_api(client, headers, ctx, plan["first page"], 5)  # warm-up
        for name, scenario in plan.items():
            raw = time_raw(dsn, t, scenario, args.requests)
            times, rows = time_api(client, headers, ctx, scenario, args.requests)
            p95, raw_p95 = percentile(times, 0.95), percentile(raw, 0.95)
            print(
                f"{name:<26} {statistics.median(times):7.1f} {p95:7.1f} {raw_p95:8.1f} "
                f"{p95 / raw_p95:6.1f} {rows:5.0f}",
                flush=True,
            )
    seconds, copy_seconds, written = time_export(ctx, dsn, t, args.export_rows, workdir)
    print(f"export of {written:,} rows (exports.run_export): {seconds:.2f} s; psql \\copy of the "
          f"same rows {copy_seconds:.2f} s; ratio {seconds / copy_seconds:.1f}x")  # fmt: skip
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "UPDATE stock_levels SET quantity = 100000000 WHERE tenant_id = %(t)s AND id < "
            "(SELECT min(id) + 16 FROM stock_levels WHERE tenant_id = %(t)s)",
            {"t": t},
        )
    tps, latencies = raw_with_pgbench(dsn, t, 16, 10)
    print(f"movement write path (pgbench, 16 clients, 10 s): {tps:.0f} tps, "
          f"p99 {percentile(latencies, 0.99):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
