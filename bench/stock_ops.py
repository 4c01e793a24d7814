"""Issue throughput: the stock service against the same SQL run raw, 16 workers each.

    .venv/bin/python -m bench.stock_ops [--seconds 5] [--workers 16]

Both paths run in this one process against the local PostgreSQL (database
stock_saas_bench, re-created): the raw path is a guarded UPDATE plus the audit INSERT on
a psycopg connection per worker; the service path is ``stock.issue_stock``. Prints both
rates and their ratio (the service should keep at least 50 % of raw).
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import psycopg

from bench._pg import fresh_database
from stock_saas.services import stock
from stock_saas.services.core import Role, Source
from stock_saas.services.people import ensure_tenant, operator_context
from stock_saas.services.stock import list_stock

RAW_UPDATE = (
    "UPDATE stock_levels SET quantity = quantity - 1 "
    "WHERE id = %s AND tenant_id = %s AND quantity >= 1 RETURNING quantity, threshold"
)
RAW_AUDIT = (
    "INSERT INTO audit_log (tenant_id, stock_level_id, item_id, department_id, item_name, "
    "department_name, actor_name, source, action, delta, quantity_after, threshold, note, "
    "created_at) VALUES (%s, %s, %s, %s, %s, %s, 'bench', 'api', 'issue', -1, %s, %s, '', now())"
)


def run_workers(workers: int, seconds: float, work: Callable[[int], Callable[[], object]]) -> float:
    """Operations per second of ``workers`` threads each looping on its own ``work(i)``."""
    counts = [0] * workers
    start_line = threading.Barrier(workers + 1)
    stop = time.monotonic() + seconds + 0.5

    def loop(index: int) -> None:
        operation = work(index)
        start_line.wait()
        while time.monotonic() < stop:
            operation()
            counts[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()

    url = fresh_database("stock_saas_bench")
    ctx = operator_context(ensure_tenant("bench"), source=Source.API, actor_name="bench")
    assert ctx.role is Role.ADMIN
    for i in range(args.workers):
        stock.add_stock(ctx=ctx, name=f"Item {i:02d}", quantity=10_000_000)
    rows = sorted(list_stock(ctx=ctx, limit=500).items, key=lambda r: r.name)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")

    def raw(index: int) -> Callable[[], None]:
        connection = psycopg.connect(dsn)
        row = rows[index]

        def issue() -> None:
            with connection.transaction():
                quantity, threshold = connection.execute(
                    RAW_UPDATE, (row.stock_level_id, ctx.tenant_id)
                ).fetchone()  # type: ignore[misc]
                connection.execute(
                    RAW_AUDIT,
                    (
                        ctx.tenant_id,
                        row.stock_level_id,
                        row.item_id,
                        row.department_id,
                        row.name,
                        row.department,
                        quantity,
                        threshold,
                    ),
                )

        return issue

    def service(index: int) -> Callable[[], object]:
        row = rows[index]
        return lambda: stock.issue_stock(
            ctx=ctx, item=row.item_id, quantity=1, department=row.department_id
        )

    raw_rate = run_workers(args.workers, args.seconds, raw)
    service_rate = run_workers(args.workers, args.seconds, service)
    print(f"raw SQL (guarded UPDATE + audit INSERT): {raw_rate:8.0f} issues/s")
    print(f"service issue_stock():                   {service_rate:8.0f} issues/s")
    print(f"ratio service/raw:                       {service_rate / raw_rate:8.1%}")


if __name__ == "__main__":
    main()
