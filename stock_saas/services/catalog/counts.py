"""Each department's number of stock levels and of low ones, without reading the levels.

Triggers on ``stock_levels`` (migration 0019) append every change of those numbers to
``department_stock_counts`` in the writer's own transaction, so the sums per department
are exact whenever they are read, whatever runs at the same time. Reading sums a few rows
per department; when changes have piled up, :func:`fold_counts` replaces them with their
sums (one row per department) in one transaction.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.models import DepartmentStockCount
from stock_saas.services.core import Context, scoped_columns

__all__ = ["department_counts", "fold_counts"]

# Rows per department (on average) beyond which a read folds them.
FOLD_AFTER = 8


def department_counts(session: Session, ctx: Context) -> tuple[dict[int, tuple[int, int]], bool]:
    """Department id -> (levels, low levels) of the tenant; and whether the rows behind
    them are worth folding."""
    rows = session.execute(
        scoped_columns(
            ctx,
            DepartmentStockCount,
            col(DepartmentStockCount.department_id),
            func.sum(DepartmentStockCount.levels),
            func.sum(DepartmentStockCount.low),
            func.count(),
        ).group_by(col(DepartmentStockCount.department_id))
    ).all()
    counts = {int(d): (int(levels), int(low)) for d, levels, low, _ in rows}
    pile = sum(int(n) for *_, n in rows)
    return counts, pile > FOLD_AFTER * max(1, len(rows))


def fold_counts(ctx: Context) -> None:
    """Replace the tenant's count rows with one per department (their sums). Exact under
    concurrency: what is deleted is what is summed (DELETE … RETURNING), and rows that
    writers add meanwhile are not seen by the DELETE, so they stay."""
    with write_session() as session:
        removed = session.execute(
            delete(DepartmentStockCount)
            .where(col(DepartmentStockCount.tenant_id) == ctx.tenant_id)
            .returning(
                col(DepartmentStockCount.department_id),
                col(DepartmentStockCount.levels),
                col(DepartmentStockCount.low),
            )
        ).all()
        sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for department_id, levels, low in removed:
            sums[int(department_id)][0] += int(levels)
            sums[int(department_id)][1] += int(low)
        folded = [
            {"tenant_id": ctx.tenant_id, "department_id": d, "levels": n, "low": low}
            for d, (n, low) in sums.items()
            if n or low
        ]
        if folded:
            session.execute(insert(DepartmentStockCount), folded)
