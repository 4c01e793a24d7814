"""Usage and the reorder list on a big audit log, next to a raw SQL GROUP BY of the same rows.

    .venv/bin/python -m bench.reorder [--rows 5000000] [--levels 100000] [--runs 200]
        [--keep]     keep the seeded database; [--reuse] measure a kept one again

Seeds one tenant in the scratch PostgreSQL database stock_saas_bench_reorder (dropped at
the end): ``--levels`` items, each stocked in one of 20 departments, and ``--rows`` audit
rows spread evenly over the last 365 days (60 % issues, 15 % returns, 15 % restocks, 10 %
adjusts), all by ``INSERT … SELECT generate_series`` with the audit log's indexes built
after the load, then ``VACUUM ANALYZE`` (what autovacuum leaves a table that has settled).
With ``--reuse`` the rows' times have moved on since the seed, so the window holds a
little less of them.
Then, in one run, p50 and p95 of:

- ``reports.item_usage`` of a random item over 30 days (with its daily series), against
  the raw ``GROUP BY day, action`` of that item's rows in the window;
- ``reports.reorder_list`` (30-day pace, 30 days of cover, first page of 1,000, with the
  total), against the raw ``GROUP BY stock_level_id`` of the tenant's issues and returns
  in the window, the aggregate the list is built on;

and, for scale, the same per-level GROUP BY over the whole audit log. Aims (issue 16):
usage p95 < 50 ms, reorder p95 < 500 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bench._pg import SERVER, drop_database, fresh_database
from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.services import reports
from stock_saas.services.core import Context, Role, Source

NAME = "stock_saas_bench_reorder"
DEPARTMENTS = 20
SEED = [
    "INSERT INTO tenants (id, name, created_at) VALUES (1, 'bench', now())",
    "SELECT setval('tenants_id_seq', 1)",
    "INSERT INTO departments (id, tenant_id, name, is_default, created_at)"
    " SELECT d, 1, 'Department ' || d, d = 1, now() FROM generate_series(1, :departments) d",
    "SELECT setval('departments_id_seq', :departments)",
    "INSERT INTO items (id, tenant_id, name, notes, created_at)"
    " SELECT i, 1, 'item-' || lpad(i::text, 6, '0'), '', now() FROM generate_series(1, :levels) i",
    "SELECT setval('items_id_seq', :levels)",
    "INSERT INTO stock_levels (id, tenant_id, item_id, department_id, quantity, threshold)"
    " SELECT i, 1, i, 1 + i % :departments, (i * 37) % 200, 20"
    " FROM generate_series(1, :levels) i",
    "SELECT setval('stock_levels_id_seq', :levels)",
    # Row g: level 1 + (g * 7919) % levels, action by (g / 7) % 20 (so that every level
    # gets every action), one every 365 days / rows, newest first.
    "INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id, item_name,"
    " department_name, actor_name, source, action, delta, quantity_after, threshold, note,"
    " created_at)"
    " SELECT 1, l, l, 1 + l % :departments, 'item', 'Department', 'bench', 'api',"
    " a.action, a.delta, 10, 20, '', now() - g * (interval '365 days' / :rows)"
    " FROM generate_series(1, :rows) g"
    " CROSS JOIN LATERAL (SELECT (1 + (g::bigint * 7919) % :levels)::int AS l,"
    "   (g / 7) % 20 AS k) s"
    " CROSS JOIN LATERAL (SELECT CASE WHEN k < 12 THEN 'issue' WHEN k < 15 THEN 'return'"
    "   WHEN k < 18 THEN 'restock' ELSE 'adjust' END AS action,"
    "   CASE WHEN k < 12 THEN -(1 + g % 3) WHEN k < 15 THEN 1 WHEN k < 18 THEN 50"
    "   ELSE -1 END AS delta) a",
]
INDEXES = (
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_log'"
    " AND indexname <> 'audit_log_pkey'"
)
RAW_USAGE = (
    "SELECT (created_at AT TIME ZONE 'UTC')::date, action, sum(delta) FROM audit_log"
    " WHERE tenant_id = 1 AND item_id = :item AND created_at > :since GROUP BY 1, 2"
)
RAW_LEVELS = (
    "SELECT stock_level_id, sum(CASE WHEN action = 'issue' THEN -delta ELSE 0 END),"
    " sum(CASE WHEN action = 'return' THEN delta ELSE 0 END) FROM audit_log"
    " WHERE tenant_id = 1 AND created_at > :since AND action IN ('issue', 'return')"
    " GROUP BY stock_level_id"
)
RAW_WHOLE_LOG = RAW_LEVELS.replace("AND created_at > :since ", "")


def _execute(*statements: str, **params: Any) -> None:
    with db.autocommit_connection() as connection:
        for statement in statements:
            connection.execute(text(statement), params)


def _seed(rows: int, levels: int) -> float:
    began = time.perf_counter()
    with db.autocommit_connection() as connection:
        # A scratch database: no foreign-key triggers during the load (every row's keys
        # are made consistent by the SEED statements), more memory for the index builds.
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text("SET maintenance_work_mem = '256MB'"))
        indexes = connection.execute(text(INDEXES)).all()
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))
        for statement in SEED:
            connection.execute(
                text(statement), {"rows": rows, "levels": levels, "departments": DEPARTMENTS}
            )
        for _, definition in indexes:
            connection.execute(text(definition))
        connection.execute(text("SET session_replication_role = DEFAULT"))
        connection.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - began


def _times(work: Callable[[], object], runs: int) -> list[float]:
    work()  # warm: plans, caches
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        spent.append((time.perf_counter() - began) * 1000)
    return spent


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _raw(statement: str, **params: Any) -> Callable[[], object]:
    def run() -> object:
        with db.read_session() as session:
            return session.execute(text(statement), params).all()

    return run


def _plan(statement: str, **params: Any) -> str:
    with db.read_session() as session:
        plan = session.execute(
            text(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}"), params
        ).scalar_one()
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Scan" in node["Node Type"]:
            fetches = node.get("Heap Fetches")
            found.append(
                f"{node['Node Type']} on {node.get('Index Name', node.get('Relation Name'))}"
                + (f" (heap fetches {fetches})" if fetches is not None else "")
            )
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return "; ".join(found)


def _line(label: str, spent: list[float], floor: list[float] | None = None) -> None:
    ratio = f"   {_p95(spent) / _p95(floor):5.2f}x raw p95" if floor else ""
    print(f"{label:<46} p50 {statistics.median(spent):8.1f} ms  p95 {_p95(spent):8.1f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--levels", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="usage calls (reorder: a tenth)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    if args.reuse:
        os.environ["DATABASE_URL"] = f"{SERVER}/{NAME}"
        get_settings.cache_clear()
        db.dispose_engines()
    else:
        fresh_database(NAME)
        seconds = _seed(args.rows, args.levels)
        print(
            f"seeded {args.rows:,} audit rows over {args.levels:,} stock levels in {seconds:.1f} s"
        )
    try:
        _report(args)
    finally:
        if not (args.keep or args.reuse):
            drop_database(NAME)


def _report(args: argparse.Namespace) -> None:
    ctx = Context(tenant_id=1, role=Role.MANAGER, source=Source.CLI, actor_name="bench")
    since = datetime.now(UTC) - timedelta(days=30)
    items = random.Random(16)
    usage = _times(
        lambda: reports.item_usage(ctx=ctx, item_id=items.randint(1, args.levels), days=30),
        args.runs,
    )
    raw_items = random.Random(16)
    raw_usage = _times(
        lambda: _raw(RAW_USAGE, item=raw_items.randint(1, args.levels), since=since)(), args.runs
    )
    runs = max(5, args.runs // 10)
    reorder = _times(lambda: reports.reorder_list(ctx=ctx, days=30, cover_days=30), runs)
    raw_levels = _times(_raw(RAW_LEVELS, since=since), runs)
    whole = _times(_raw(RAW_WHOLE_LOG), max(3, runs // 4))
    report = reports.reorder_list(ctx=ctx, days=30, cover_days=30)
    print(f"reorder list: {report.total:,} of {args.levels:,} levels to reorder")
    _line("raw SQL: one item's window GROUP BY", raw_usage)
    _line("reports.item_usage, 30 days", usage, raw_usage)
    _line("raw SQL: per-level window GROUP BY", raw_levels)
    _line("reports.reorder_list, 30 days, first 1,000", reorder, raw_levels)
    _line("raw SQL: per-level GROUP BY, whole log", whole)
    print("plan, one item:  ", _plan(RAW_USAGE, item=1, since=since))
    print("plan, per level: ", _plan(RAW_LEVELS, since=since))


if __name__ == "__main__":
    main()
