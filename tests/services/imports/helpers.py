"""What the import tests look at: the tenant's stock as rows, its audit log, a CSV."""

from __future__ import annotations

import io

from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.models import AuditLog, StockLevel
from stock_saas.services import imports
from stock_saas.services.core import Context


def csv_bytes(*lines: str, newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode()


def exported(ctx: Context) -> str:
    out = io.StringIO(newline="")
    imports.write_stock_csv(ctx=ctx, out=out)
    return out.getvalue()


def audit_rows(ctx: Context) -> list[AuditLog]:
    with read_session() as session:
        return list(
            session.exec(
                select(AuditLog)
                .where(col(AuditLog.tenant_id) == ctx.tenant_id)
                .order_by(col(AuditLog.id))
            )
        )


def books_balance(ctx: Context) -> bool:
    """Every stock level of the tenant equals the sum of its audit deltas."""
    sums: dict[int, int] = {}
    for row in audit_rows(ctx):
        assert row.stock_level_id is not None
        sums[row.stock_level_id] = sums.get(row.stock_level_id, 0) + row.delta
    with read_session() as session:
        levels = session.exec(
            select(StockLevel).where(col(StockLevel.tenant_id) == ctx.tenant_id)
        ).all()
    return all(level.quantity == sums.get(level.id or 0, 0) for level in levels)
