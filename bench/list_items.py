"""Listing stock at scale through the API: p95 per page against raw SQL, queries per page.

    .venv/bin/python -m bench.list_items [--items 100000] [--departments 20] [--requests 200]
                                         [--reuse] [--quantity-index]

Seeds the local PostgreSQL database stock_saas_bench_list (re-created) with two tenants
of ``--items`` items each, every item stocked in one of ``--departments`` departments,
then calls GET /api/items in-process (FastAPI TestClient: routing, token check, service,
serialisation; no network) for: pages at offsets and by cursor (deep cursors collected by
one walk beforehand), a name-prefix search, a department filter, the low-stock filter,
and the sort by quantity. Every statement the app sends is counted with a SQLAlchemy
``before_cursor_execute`` listener. Each p95 is also printed as a multiple of the raw-SQL
floor measured in the same run: the first page's count and rows, hand-written, over one
psycopg connection. Then the movement's write path (pgbench: guarded UPDATE + audit
INSERT, 16 clients) with the share of HOT updates. ``--quantity-index`` first adds an
index on stock_levels (tenant_id, quantity, id), the alternative the listing does
without: faster sorting by quantity, no HOT updates on the movement path.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlmodel import col

from bench._pg import SERVER, fresh_database
from bench._seed import seed_levels
from bench.api_issue import percentile, raw_with_pgbench
from stock_saas import db
from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head
from stock_saas.models import Department
from stock_saas.security.tokens import issue_token
from stock_saas.services.core import Role, Source
from stock_saas.services.people import create_user, ensure_tenant, list_users, operator_context
from stock_saas.services.stock import StockSort, list_stock

DATABASE = "stock_saas_bench_list"
RAW_FIRST_PAGE = """
SELECT s.id, s.quantity, s.threshold, i.id, i.name, i.barcode, i.category_id, d.id, d.name, c.name
  FROM stock_levels s
  JOIN items i ON i.id = s.item_id AND i.tenant_id = %(t)s
  JOIN departments d ON d.id = s.department_id
  LEFT JOIN categories c ON c.id = i.category_id
 WHERE s.tenant_id = %(t)s ORDER BY i.name, s.id LIMIT 50"""

# fmt: off
WORDS = [
    "Gloves", "Gauze", "Masks", "Syringe", "Bandage", "Catheter", "Scalpel", "Swab", "Tape",
    "Forceps", "Needle", "Tube", "Vial", "Pipette", "Beaker", "Flask", "Funnel", "Cable",
    "Adapter", "Router", "Switch", "Mouse", "Keyboard", "Monitor", "Charger", "Battery",
    "Fuse", "Relay", "Valve", "Pump", "Filter", "Hose", "Clamp", "Bolt", "Screw", "Nut",
    "Washer", "Drill", "Blade", "Saw", "Paint", "Brush", "Roller", "Glue", "Marker", "Paper",
    "Toner", "Folder", "Binder", "Stapler",
]
# fmt: on


def seed(tenant_name: str, items: int, departments: int) -> int:
    """One tenant with ``items`` items spread over ``departments`` departments."""
    tenant = ensure_tenant(tenant_name)
    assert tenant.id is not None
    t = tenant.id
    seed_levels(t, items, departments, words=WORDS, barcode_prefix=f"{t}-", seed=t)
    return t


def measure(
    client: TestClient,
    headers: dict[str, str],
    params: Callable[[random.Random], dict[str, Any]],
    n: int,
) -> tuple[list[float], list[int], int]:
    counter = {"n": 0}

    def count(*_args: Any) -> None:
        counter["n"] += 1

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", count)
    rng = random.Random(7)
    times, queries, rows = [], [], 0
    try:
        for _ in range(n):
            counter["n"] = 0
            started = time.perf_counter()
            response = client.get("/api/items", params=params(rng), headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
            queries.append(counter["n"])
            rows += len(response.json()["items"])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return times, queries, rows


def raw_first_page(dsn: str, tenant_id: int, n: int) -> list[float]:
    """The floor: the first page's count and rows as hand-written SQL (psycopg, prepared)."""
    times = []
    with psycopg.connect(dsn, prepare_threshold=0) as connection:
        for _ in range(n + 5):
            started = time.perf_counter()
            connection.execute(
                "SELECT count(*) FROM stock_levels WHERE tenant_id = %(t)s", {"t": tenant_id}
            ).fetchone()
            connection.execute(RAW_FIRST_PAGE, {"t": tenant_id}).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times[5:]


def deep_cursors(tenant: Any, sort: StockSort, count: int) -> list[str]:
    """Cursors spread over the whole listing (one walk of 500-row pages; the cursor binds
    filters and sort, not the page size)."""
    ctx = operator_context(tenant, source=Source.CLI, actor_name="bench")
    cursors: list[str] = []
    cursor = None
    while len(cursors) < count:
        page = list_stock(ctx=ctx, limit=500, sort=sort, cursor=cursor)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        cursors.append(cursor)
    return cursors


def write_path(dsn: str, tenant_id: int, seconds: int = 10) -> tuple[float, float, float]:
    """pgbench issues (16 clients, one stock level each): tps, p99 ms, share of HOT updates."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "UPDATE stock_levels SET quantity = 100000000 WHERE tenant_id = %(t)s AND id < "
            "(SELECT min(id) + 16 FROM stock_levels WHERE tenant_id = %(t)s)",
            {"t": tenant_id},
        )
        connection.execute("SELECT pg_stat_reset()")
    tps, latencies = raw_with_pgbench(dsn, tenant_id, 16, seconds)
    time.sleep(1.5)  # statistics are flushed at most once a second
    with psycopg.connect(dsn) as connection:
        updated, hot = connection.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE relname = 'stock_levels'"
        ).fetchone()  # type: ignore[misc]
    return tps, percentile(latencies, 0.99), hot / max(1, updated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database a previous run seeded"
    )
    parser.add_argument(
        "--quantity-index", action="store_true", help="add the (tenant_id, quantity, id) index"
    )
    args = parser.parse_args()

    os.environ["LOG_LEVEL"] = "WARNING"  # no access log line per request
    if args.reuse:
        os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
        get_settings.cache_clear()
        upgrade_to_head()
    else:
        fresh_database(DATABASE)
        started = time.perf_counter()
        seed("Bench Hospital", args.items, args.departments)
        seed("Bench Labs", args.items, args.departments)
        print(f"seeded 2 x {args.items} items in {time.perf_counter() - started:.1f} s")
    with db.get_engine().connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("DROP INDEX IF EXISTS ix_bench_stock_levels_quantity")
        if args.quantity_index:
            autocommit.exec_driver_sql(
                "CREATE INDEX ix_bench_stock_levels_quantity "
                "ON stock_levels (tenant_id, quantity, id)"
            )
        autocommit.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does after a load
    dsn = f"{SERVER}/{DATABASE}".replace("postgresql+psycopg://", "postgresql://")

    tenant = ensure_tenant("Bench Hospital")
    assert tenant.id is not None
    tenant_id = tenant.id
    operator = operator_context(tenant, source=Source.CLI, actor_name="bench")
    admin = next((u for u in list_users(ctx=operator) if u.username == "bench-admin"), None)
    if admin is None:
        admin = create_user(
            ctx=operator, username="bench-admin", password="bench-password-1", role=Role.ADMIN
        )
    token = issue_token(user_id=admin.id, tenant_id=tenant_id, role="admin")
    headers = {"Authorization": f"Bearer {token}"}
    with db.read_session() as session:
        departments = list(
            session.scalars(
                select(col(Department.id)).where(col(Department.tenant_id) == tenant_id)
            )
        )
    last_page = args.items - 50
    by_name = deep_cursors(tenant, StockSort.NAME, 150)
    by_quantity = deep_cursors(tenant, StockSort.QUANTITY, 150)
    scenarios: dict[str, Callable[[random.Random], dict[str, Any]]] = {
        "list, first page": lambda r: {},
        "list, pages 1-20": lambda r: {"offset": r.randrange(0, 1000, 50)},
        "list, deep random page": lambda r: {"offset": r.randrange(0, last_page, 50)},
        "list, deep page by cursor": lambda r: {"cursor": r.choice(by_name)},
        "name prefix (~2%)": lambda r: {"q": r.choice(WORDS)[:4]},
        "name prefix (~20 rows)": lambda r: {"q": f"{r.choice(WORDS)} {r.randrange(0, 99):02d}"},
        "department filter": lambda r: {
            "department_id": r.choice(departments),
            "offset": r.randrange(0, 2000, 50),
        },
        "low filter": lambda r: {"low": "true", "offset": r.randrange(0, 500, 50)},
        "sort by quantity, first": lambda r: {"sort": "quantity"},
        "sort by quantity, offset": lambda r: {
            "sort": "quantity",
            "offset": r.randrange(0, 5000, 50),
        },
        "sort by quantity, cursor": lambda r: {"sort": "quantity", "cursor": r.choice(by_quantity)},
    }
    raw = raw_first_page(dsn, tenant_id, args.requests)
    raw_p95 = percentile(raw, 0.95)
    print(f"quantity index: {'yes' if args.quantity_index else 'no'}")
    print(f"{'scenario':<27} {'p50 ms':>7} {'p95 ms':>7} {'x raw':>6} {'queries':>8} {'rows':>5}")
    print(f"{'raw SQL, first page':<27} {statistics.median(raw):7.1f} {raw_p95:7.1f} {1:6.1f}")
    with TestClient(create_app()) as client:
        measure(client, headers, lambda r: {"tenant_id": tenant_id}, 5)  # warm-up
        base = {"tenant_id": tenant_id, "limit": 50}
        for name, params in scenarios.items():

            def request(
                r: random.Random, p: Callable[[random.Random], dict[str, Any]] = params
            ) -> dict[str, Any]:
                return {**base, **p(r)}

            times, queries, rows = measure(client, headers, request, args.requests)
            p95 = percentile(times, 0.95)
            spread = (
                f"{min(queries)}"
                if min(queries) == max(queries)
                else f"{min(queries)}-{max(queries)}"
            )
            print(
                f"{name:<27} {statistics.median(times):7.1f} {p95:7.1f} {p95 / raw_p95:6.1f} "
                f"{spread:>8} {rows / args.requests:5.0f}"
            )
    tps, p99, hot = write_path(dsn, tenant_id)
    print(
        f"movement write path (pgbench, 16 clients): {tps:.0f} tps, p99 {p99:.1f} ms, "
        f"HOT updates {hot:.0%}"
    )


if __name__ == "__main__":
    main()
