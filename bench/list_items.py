"""Listing stock at scale through the API: p95 per page and SQL queries per page.

    .venv/bin/python -m bench.list_items [--items 100000] [--departments 20] [--requests 200]

Seeds the local PostgreSQL database stock_saas_bench_list (re-created) with two tenants
of ``--items`` items each, every item stocked in one of ``--departments`` departments,
then calls GET /api/items in-process (FastAPI TestClient: routing, token check, service,
serialisation; no network) for: plain pages at random offsets, a name-prefix search,
a department filter, the low-stock filter, and a sort by quantity. Every statement the
app sends is counted with a SQLAlchemy ``before_cursor_execute`` listener.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, insert, select

from bench._pg import SERVER, fresh_database
from stock_saas import db
from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.security.tokens import issue_token
from stock_saas.services.core import Role, Source
from stock_saas.services.people import create_user, ensure_tenant, list_users, operator_context

DATABASE = "stock_saas_bench_list"

WORDS = [
    "Gloves",
    "Gauze",
    "Masks",
    "Syringe",
    "Bandage",
    "Catheter",
    "Scalpel",
    "Swab",
    "Tape",
    "Forceps",
    "Needle",
    "Tube",
    "Vial",
    "Pipette",
    "Beaker",
    "Flask",
    "Funnel",
    "Cable",
    "Adapter",
    "Router",
    "Switch",
    "Mouse",
    "Keyboard",
    "Monitor",
    "Charger",
    "Battery",
    "Fuse",
    "Relay",
    "Valve",
    "Pump",
    "Filter",
    "Hose",
    "Clamp",
    "Bolt",
    "Screw",
    "Nut",
    "Washer",
    "Drill",
    "Blade",
    "Saw",
    "Paint",
    "Brush",
    "Roller",
    "Glue",
    "Marker",
    "Paper",
    "Toner",
    "Folder",
    "Binder",
    "Stapler",
]


def seed(tenant_name: str, items: int, departments: int) -> int:
    """One tenant with ``items`` items spread over ``departments`` departments."""
    tenant = ensure_tenant(tenant_name)
    assert tenant.id is not None
    t = tenant.id
    rng = random.Random(t)
    with db.write_session() as session:
        session.execute(
            insert(Department),
            [{"tenant_id": t, "name": f"Dept {d:02d}"} for d in range(1, departments)],
        )
        session.execute(insert(Category), [{"tenant_id": t, "name": f"Cat {c}"} for c in range(10)])
    with db.read_session() as session:
        dept_ids = list(session.scalars(select(Department.id).where(Department.tenant_id == t)))
        cat_ids = list(session.scalars(select(Category.id).where(Category.tenant_id == t)))
    batch = 10_000
    for start in range(0, items, batch):
        with db.write_session() as session:
            rows = [
                {
                    "tenant_id": t,
                    "name": f"{WORDS[i % len(WORDS)]} {i:06d}",
                    "barcode": f"{t}-{i:07d}",
                    "category_id": cat_ids[i % len(cat_ids)],
                    "notes": "",
                }
                for i in range(start, min(start + batch, items))
            ]
            session.execute(insert(Item), rows)
            ids = session.scalars(
                select(Item.id).where(Item.tenant_id == t).order_by(Item.id.desc()).limit(len(rows))  # type: ignore[union-attr]
            ).all()
            session.execute(
                insert(StockLevel),
                [
                    {
                        "tenant_id": t,
                        "item_id": item_id,
                        "department_id": dept_ids[item_id % len(dept_ids)],
                        "quantity": rng.randint(0, 200),
                        "threshold": rng.choice((0, 10, 20)),
                    }
                    for item_id in ids
                ],
            )
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database a previous run seeded"
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
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")

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
            session.scalars(select(Department.id).where(Department.tenant_id == tenant_id))
        )
    last_page = args.items - 50
    scenarios: dict[str, Callable[[random.Random], dict[str, Any]]] = {
        "list, first page": lambda r: {},
        "list, pages 1-20": lambda r: {"offset": r.randrange(0, 1000, 50)},
        "list, deep random page": lambda r: {"offset": r.randrange(0, last_page, 50)},
        "name prefix (~2%)": lambda r: {"q": r.choice(WORDS)[:4]},
        "name prefix (~20 rows)": lambda r: {"q": f"{r.choice(WORDS)} {r.randrange(0, 99):02d}"},
        "department filter": lambda r: {
            "department_id": r.choice(departments),
            "offset": r.randrange(0, 2000, 50),
        },
        "low filter": lambda r: {"low": "true", "offset": r.randrange(0, 500, 50)},
        "sort by quantity": lambda r: {"sort": "quantity", "offset": r.randrange(0, 5000, 50)},
    }
    with TestClient(create_app()) as client:
        measure(client, headers, lambda r: {"tenant_id": tenant_id}, 5)  # warm-up
        print(f"{'scenario':<24} {'p50 ms':>7} {'p95 ms':>7} {'queries/page':>13} {'rows':>6}")
        base = {"tenant_id": tenant_id, "limit": 50}
        for name, params in scenarios.items():
            times, queries, rows = measure(
                client, headers, lambda r, p=params: {**base, **p(r)}, args.requests
            )
            p95 = statistics.quantiles(times, n=20)[-1]
            spread = (
                f"{min(queries)}"
                if min(queries) == max(queries)
                else f"{min(queries)}-{max(queries)}"
            )
            print(
                f"{name:<24} {statistics.median(times):7.1f} {p95:7.1f} {spread:>13} "
                f"{rows / args.requests:6.0f}"
            )


if __name__ == "__main__":
    main()
