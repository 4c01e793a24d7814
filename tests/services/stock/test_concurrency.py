"""Many writers against the same few stock levels: never negative, never a lost unit.

16 threads on each backend (SQLite is file-backed), and on PostgreSQL 16 processes.
At the end every stock level equals the sum of its audit deltas, and the audit log holds
exactly the operations the workers saw succeed.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.errors import InsufficientStock
from stock_saas.models import AuditLog, StockLevel
from stock_saas.services import catalog, stock
from stock_saas.services.core import Context

ITEMS = ("Gloves", "Masks", "Syringes")
DEPARTMENTS = ("General", "Lab")
SECONDS = 3.0
WORKERS = 16


def _seed(ctx: Context) -> None:
    catalog.create_department(ctx=ctx, name="Lab")
    for name in ITEMS:
        stock.add_stock(ctx=ctx, name=name, quantity=20, threshold=5)
        stock.add_stock(ctx=ctx, name=name, quantity=20, department="Lab")


def _hammer(ctx: Context, seed: int, deadline: float) -> Counter[str]:
    """Random issues, returns and transfers until ``deadline``; counts what succeeded."""
    rng = random.Random(seed)
    done: Counter[str] = Counter()
    while time.monotonic() < deadline:
        item, quantity = rng.choice(ITEMS), rng.randint(1, 6)
        source, destination = rng.sample(DEPARTMENTS, 2)
        try:
            match rng.choice(("issue", "issue", "return", "transfer")):
                case "issue":
                    stock.issue_stock(ctx=ctx, item=item, quantity=quantity, department=source)
                    done["rows"] += 1
                case "return":
                    stock.return_stock(ctx=ctx, item=item, quantity=quantity, department=source)
                    done["rows"] += 1
                case _:
                    stock.transfer_stock(
                        ctx=ctx,
                        item=item,
                        quantity=quantity,
                        from_department=source,
                        to_department=destination,
                    )
                    done["rows"] += 2
        except InsufficientStock:
            done["refused"] += 1
    return done


def _assert_books_balance(expected_rows: int) -> None:
    with db.read_session() as session:
        levels = session.exec(select(StockLevel)).all()
        sums = dict(
            session.execute(
                select(AuditLog.stock_level_id, func.sum(AuditLog.delta)).group_by(
                    AuditLog.stock_level_id
                )
            ).all()
        )
        audit_rows = session.exec(select(func.count()).select_from(AuditLog)).one()
    assert levels, "no stock levels"
    for level in levels:
        assert level.quantity >= 0
        assert level.quantity == sums[level.id], f"level {level.id} disagrees with its audit"
    assert audit_rows == expected_rows


def test_sixteen_threads_lose_nothing(manager_a: Context):
    _seed(manager_a)
    seeded = 2 * len(ITEMS)
    deadline = time.monotonic() + SECONDS
    results: list[Counter[str]] = []
    threads = [
        threading.Thread(target=lambda s=s: results.append(_hammer(manager_a, s, deadline)))
        for s in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(results, Counter())
    assert total["rows"] > 0
    _assert_books_balance(seeded + total["rows"])


def _process_main(url: str, ctx: Context, seed: int, start_line: Any, out: Any) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.dispose_engines()
    start_line.wait(timeout=120)  # every process starts hammering together
    out.put(dict(_hammer(ctx, seed, time.monotonic() + SECONDS)))


def test_sixteen_processes_lose_nothing_on_postgresql(database: str, manager_a: Context):
    if not database.startswith("postgresql"):
        pytest.skip("process-level concurrency is exercised on PostgreSQL")
    _seed(manager_a)
    db.dispose_engines()
    spawn = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = spawn.Queue()
    start_line = spawn.Barrier(WORKERS)
    processes = [
        spawn.Process(
            target=_process_main,
            args=(database, manager_a, seed, start_line, out),
        )
        for seed in range(WORKERS)
    ]
    for process in processes:
        process.start()
    results = [Counter(out.get(timeout=180)) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    total = sum(results, Counter())
    assert total["rows"] > 0
    _assert_books_balance(2 * len(ITEMS) + total["rows"])
