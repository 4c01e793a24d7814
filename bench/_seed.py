"""Seeding shared by the listing benches: one organisation's catalogue in bulk INSERTs."""

from __future__ import annotations

import random


def seed_levels(
    t: int, count: int, departments: int, *, words: list[str], barcode_prefix: str, seed: int
) -> None:
    """``count`` items of tenant ``t``, one stock level each, spread over its default
    department and ``departments - 1`` more ("Dept 01"...) and ten categories. Imported here,
    not at module level: a bench sets ``DATABASE_URL`` before the app's modules load."""
    from sqlalchemy import insert, select
    from sqlmodel import col

    from stock_saas import db
    from stock_saas.models import Category, Department, Item, StockLevel

    rng = random.Random(seed)
    with db.write_session() as session:
        session.execute(
            insert(Department),
            [{"tenant_id": t, "name": f"Dept {d:02d}"} for d in range(1, departments)],
        )
        session.execute(insert(Category), [{"tenant_id": t, "name": f"Cat {c}"} for c in range(10)])
    with db.read_session() as session:
        dept_ids = list(
            session.scalars(select(col(Department.id)).where(col(Department.tenant_id) == t))
        )
        cat_ids = list(
            session.scalars(select(col(Category.id)).where(col(Category.tenant_id) == t))
        )
    for start in range(0, count, 10_000):
        with db.write_session() as session:
            rows = [
                {
                    "tenant_id": t,
                    "name": f"{words[i % len(words)]} {i:06d}",
                    "barcode": f"{barcode_prefix}{i:07d}",
                    "category_id": cat_ids[i % len(cat_ids)],
                    "notes": "",
                }
                for i in range(start, min(start + 10_000, count))
            ]
            session.execute(insert(Item), rows)
            ids = session.scalars(
                select(col(Item.id))
                .where(col(Item.tenant_id) == t)
                .order_by(col(Item.id).desc())
                .limit(len(rows))
            ).all()
            levels = [
                {
                    "tenant_id": t,
                    "item_id": item_id,
                    "department_id": rng.choice(dept_ids),
                    "quantity": rng.randint(0, 200),
                    "threshold": rng.choice((0, 10, 20)),
                }
                for item_id in ids
            ]
            # One multi-row INSERT per 5,000 levels, as the import's bulk path writes them
            # (an executemany is one statement, and one department count row, per level).
            for chunk in range(0, len(levels), 5_000):
                session.execute(insert(StockLevel).values(levels[chunk : chunk + 5_000]))
