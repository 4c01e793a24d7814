"""Sweeps of two tenants at once, racing stock movements and the checks they trigger."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.models import AlertEpisode, Item, Notification, StockLevel
from stock_saas.services import alerts, stock
from stock_saas.services.core import Context, TenantBatch
from stock_saas.tasks.system import system_context

ITEMS = ["Gloves", "Masks", "Swabs"]
ROUNDS = 12


def _run_all(jobs: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait(10)
            job()
        except BaseException as exc:  # reported in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []


def _level_ids(ctx: Context) -> dict[str, int]:
    """Stock level id by item name, in the tenant's default department."""
    with read_session() as session:
        rows = session.exec(
            select(Item.name, StockLevel.id)
            .join(Item, col(Item.id) == col(StockLevel.item_id))
            .where(col(StockLevel.tenant_id) == ctx.tenant_id)
        )
        return {name: int(level_id or 0) for name, level_id in rows}


def test_sweeps_racing_movements_leave_one_open_episode_per_low_level_and_one_row_each(
    admin_a: Context, manager_a: Context, admin_b: Context, manager_b: Context
):
    for manager in (manager_a, manager_b):
        for name in ITEMS:
            stock.add_stock(ctx=manager, name=name, quantity=5, threshold=5)
    batch = TenantBatch.of([system_context(admin_a.tenant_id), system_context(admin_b.tenant_id)])
    done = threading.Event()

    def sweeper() -> None:
        while not done.is_set():
            alerts.check_tenants(batch=batch)

    def mover(manager: Context) -> Callable[[], None]:
        levels = _level_ids(manager)

        def move() -> None:
            for n in range(ROUNDS):  # across the threshold and back, checking each time
                name = ITEMS[n % len(ITEMS)]
                for change in (stock.issue_stock, stock.restock):
                    change(ctx=manager, item=name, quantity=1)
                    system = system_context(manager.tenant_id)
                    alerts.check_stock_level(ctx=system, stock_level_id=levels[name])
            stock.issue_stock(ctx=manager, item=ITEMS[0], quantity=1)  # one stays low

        return move

    movers = [mover(manager_a), mover(manager_b)]

    def movers_then_stop() -> None:
        try:
            _run_all(movers)
        finally:
            done.set()

    _run_all([sweeper, sweeper, movers_then_stop])
    alerts.check_tenants(batch=batch)

    with read_session() as session:
        low = set(
            session.exec(
                select(StockLevel.id).where(col(StockLevel.quantity) < col(StockLevel.threshold))
            )
        )
        open_levels = list(
            session.exec(
                select(AlertEpisode.stock_level_id).where(col(AlertEpisode.closed_at).is_(None))
            )
        )
        rows_per_open_episode = list(
            session.exec(
                select(func.count(col(Notification.id)))
                .join(AlertEpisode, col(AlertEpisode.id) == col(Notification.episode_id))
                .where(col(AlertEpisode.closed_at).is_(None))
                .group_by(col(Notification.episode_id))
            )
        )
    assert len(low) == 2  # Gloves in each tenant
    assert sorted(open_levels) == sorted(low)
    assert rows_per_open_episode == [2, 2]  # each tenant's admin and manager, once
