"""The sidebar's counts per department (levels, low levels), kept by triggers on stock
levels: after every kind of change, under concurrent writers and folding, and for levels
that existed before the migration, they equal a count of the levels themselves."""

from __future__ import annotations

import random
import threading
import time

from alembic import command
from sqlalchemy import text

from stock_saas import db
from stock_saas.errors import InsufficientStock
from stock_saas.migrations import alembic_config
from stock_saas.models import AdjustReason
from stock_saas.services import catalog, imports, stock
from stock_saas.services.core import Context
from tests.services.imports.helpers import csv_bytes

BEFORE_COUNTS = "0018_event_relay"
ITEMS = ("Gloves", "Masks", "Syringes", "Gauze")
DEPARTMENTS = ("General", "Lab")


def fresh(ctx: Context) -> dict[str, tuple[int, int]]:
    """Department name -> (levels, low levels), counted from the levels themselves."""
    with db.read_session() as session:
        rows = session.execute(
            text(
                "SELECT d.name, count(s.id), "
                "coalesce(sum(CASE WHEN s.quantity < s.threshold THEN 1 ELSE 0 END), 0) "
                "FROM departments d LEFT JOIN stock_levels s ON s.department_id = d.id "
                "WHERE d.tenant_id = :t GROUP BY d.name"
            ),
            {"t": ctx.tenant_id},
        ).all()
    return {name: (int(n), int(low)) for name, n, low in rows}


def shown(ctx: Context) -> dict[str, tuple[int, int]]:
    return {d.name: (d.item_count, d.low_count) for d in catalog.list_departments(ctx=ctx)}


def test_counts_follow_add_issue_return_transfer_threshold_and_adjust(manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=5)
    stock.add_stock(ctx=manager_a, name="Masks", quantity=3, threshold=5)
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 1), "Lab": (0, 0)}
    stock.issue_stock(ctx=manager_a, item="Gloves", quantity=6)  # 4 < 5: low
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 2), "Lab": (0, 0)}
    stock.return_stock(ctx=manager_a, item="Masks", quantity=2)  # 5: no longer low
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 1), "Lab": (0, 0)}
    stock.transfer_stock(
        ctx=manager_a, item="Gloves", quantity=4, from_department="General", to_department="Lab"
    )
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 1), "Lab": (1, 0)}
    stock.set_threshold(ctx=manager_a, item="Gloves", threshold=10, department="Lab")
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 1), "Lab": (1, 1)}
    stock.adjust_stock(
        ctx=manager_a, item="Gloves", reason=AdjustReason.FOUND, delta=20, department="Lab"
    )
    assert shown(manager_a) == fresh(manager_a) == {"General": (2, 1), "Lab": (1, 0)}


def test_counts_follow_an_import(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=5)
    rows = [f"Item {n},Lab,,{n % 7},3" for n in range(40)] + ["Gloves,,,1,5"]
    data = csv_bytes("name,department,category,quantity,threshold", *rows)
    assert imports.import_stock(ctx=manager_a, data=data, dry_run=False).applied
    assert shown(manager_a) == fresh(manager_a)
    assert shown(manager_a)["Lab"] == (40, sum(1 for n in range(40) if n % 7 < 3))
    assert shown(manager_a)["General"] == (1, 1)


def test_counts_follow_a_department_deleted_with_its_empty_levels(manager_a: Context):
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=2, threshold=5, department="Lab")
    stock.issue_stock(ctx=manager_a, item="Gloves", quantity=2, department="Lab")
    catalog.delete_department(ctx=manager_a, department_id=lab.id)
    assert shown(manager_a) == fresh(manager_a) == {"General": (0, 0)}
    catalog.create_department(ctx=manager_a, name="Lab")  # SQLite may reuse the id
    assert shown(manager_a) == fresh(manager_a) == {"General": (0, 0), "Lab": (0, 0)}
    stock.add_stock(ctx=manager_a, name="Masks", quantity=1, threshold=5, department="Lab")
    assert shown(manager_a) == fresh(manager_a) == {"General": (0, 0), "Lab": (1, 1)}


def test_another_tenants_changes_leave_the_counts_alone(manager_a: Context, manager_b: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1, threshold=5)
    stock.add_stock(ctx=manager_b, name="Gloves", quantity=9, threshold=5)
    stock.add_stock(ctx=manager_b, name="Masks", quantity=1, threshold=5)
    assert shown(manager_a) == fresh(manager_a) == {"General": (1, 1)}
    assert shown(manager_b) == fresh(manager_b) == {"General": (2, 1)}


def test_folding_keeps_the_sums(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=5)
    for _ in range(30):  # each pair flips the level's low flag twice
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=6)
        stock.return_stock(ctx=manager_a, item="Gloves", quantity=6)
    before = shown(manager_a)
    catalog.fold_counts(manager_a)
    with db.read_session() as session:
        rows = session.execute(text("SELECT count(*) FROM department_stock_counts")).scalar_one()
    assert rows == 1
    assert shown(manager_a) == before == fresh(manager_a) == {"General": (1, 0)}


def _hammer(ctx: Context, seed: int, deadline: float) -> int:
    """Issues, returns and transfers that flip low flags (threshold 10 around 0-20 units)."""
    rng = random.Random(seed)
    done = 0
    while time.monotonic() < deadline:
        item, quantity = rng.choice(ITEMS), rng.randint(1, 8)
        source, destination = rng.sample(DEPARTMENTS, 2)
        try:
            match rng.choice(("issue", "return", "transfer")):
                case "issue":
                    stock.issue_stock(ctx=ctx, item=item, quantity=quantity, department=source)
                case "return":
                    stock.return_stock(ctx=ctx, item=item, quantity=quantity, department=source)
                case _:
                    stock.transfer_stock(
                        ctx=ctx,
                        item=item,
                        quantity=quantity,
                        from_department=source,
                        to_department=destination,
                    )
            done += 1
        except InsufficientStock:
            pass
    return done


def test_counts_stay_exact_under_concurrent_writers_and_folding(manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    for name in ITEMS:
        stock.add_stock(ctx=manager_a, name=name, quantity=10, threshold=10)
    deadline = time.monotonic() + 3.0
    done: list[int] = []

    def fold_until_deadline() -> None:
        while time.monotonic() < deadline:
            catalog.fold_counts(manager_a)

    threads = [
        threading.Thread(target=lambda s=s: done.append(_hammer(manager_a, s, deadline)))
        for s in range(12)
    ] + [threading.Thread(target=fold_until_deadline) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(done) > 0
    assert shown(manager_a) == fresh(manager_a)


def test_the_migration_counts_levels_that_existed_before_it(database: str, manager_a: Context):
    command.downgrade(alembic_config(database), BEFORE_COUNTS)
    try:
        db.dispose_engines()
        with db.write_session() as session:
            general = session.execute(
                text("SELECT id FROM departments WHERE tenant_id = :t"), {"t": manager_a.tenant_id}
            ).scalar_one()
            item = session.execute(
                text(
                    "INSERT INTO items (tenant_id, name, notes, created_at) "
                    "VALUES (:t, 'Old gloves', '', CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"t": manager_a.tenant_id},
            ).scalar_one()
            session.execute(
                text(
                    "INSERT INTO stock_levels (tenant_id, item_id, department_id, quantity, "
                    "threshold) VALUES (:t, :i, :d, 1, 5)"
                ),
                {"t": manager_a.tenant_id, "i": item, "d": general},
            )
    finally:
        db.dispose_engines()
        command.upgrade(alembic_config(database), "head")
    assert shown(manager_a) == fresh(manager_a) == {"General": (1, 1)}


def test_the_stock_listings_count_is_the_counts_sum_for_department_and_low_filters(
    manager_a: Context, manager_b: Context
):
    """list_stock takes a count filtered by department and low flag alone from the counts:
    it equals the levels counted, for every such filter, after moves and in another tenant."""
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    for name, quantity in zip(ITEMS, (10, 3, 0, 7), strict=True):
        stock.add_stock(ctx=manager_a, name=name, quantity=quantity, threshold=5)
    stock.transfer_stock(
        ctx=manager_a, item="Gloves", quantity=4, from_department="General", to_department="Lab"
    )
    stock.issue_stock(ctx=manager_a, item="Gauze", quantity=5)  # 2 < 5: low
    stock.add_stock(ctx=manager_b, name="Other", quantity=1, threshold=5)
    general = next(d.id for d in catalog.list_departments(ctx=manager_a) if d.name == "General")
    by_department = fresh(manager_a)
    for department_id, name in ((None, None), (general, "General"), (lab.id, "Lab"), (-1, None)):
        chosen = [by_department[name]] if name else []
        if department_id is None:
            chosen = list(by_department.values())
        levels, low = sum(c[0] for c in chosen), sum(c[1] for c in chosen)
        for flag, expected in ((None, levels), (True, low), (False, levels - low)):
            page = stock.list_stock(ctx=manager_a, department_id=department_id, low=flag)
            assert page.total == expected, (name, flag)
            assert len(page.items) == expected
    assert by_department == {"General": (4, 3), "Lab": (1, 0)}
