"""The stock levels as CSV in the import's own columns, so an exported file imports back
unchanged (formula-looking text cells neutralised as in the audit export)."""

from __future__ import annotations

from typing import TextIO

from sqlmodel import col

from stock_saas.db import read_session
from stock_saas.models import Category, Department, Item, StockLevel
from stock_saas.services import audit
from stock_saas.services.catalog import DepartmentRef, resolve_department
from stock_saas.services.core import Context, Role, require_role, scoped_columns

__all__ = ["COLUMNS", "write_stock_csv"]

COLUMNS = ("name", "department", "category", "quantity", "threshold", "barcode")
_BATCH = 2000


def write_stock_csv(*, ctx: Context, out: TextIO, department: DepartmentRef = None) -> int:
    """Every stock level of the tenant (or of one department) as CSV with the header
    :data:`COLUMNS`, ordered by department and item name; returns the rows written
    (anyone in the tenant)."""
    require_role(ctx, Role.USER)
    writer = audit.NeutralisingWriter(out)
    writer.writerow(COLUMNS)
    written = 0
    with read_session() as session:
        query = (
            scoped_columns(
                ctx,
                StockLevel,
                col(Item.name),
                col(Department.name),
                col(Category.name),
                col(StockLevel.quantity),
                col(StockLevel.threshold),
                col(Item.barcode),
            )
            .join(Item, col(Item.id) == col(StockLevel.item_id))
            .join(Department, col(Department.id) == col(StockLevel.department_id))
            .outerjoin(Category, col(Category.id) == col(Item.category_id))
            .order_by(col(Department.name), col(Item.name))
        )
        if department is not None:
            dept = resolve_department(session, ctx, department)
            query = query.where(col(StockLevel.department_id) == dept.id)
        rows = session.execute(query.execution_options(yield_per=_BATCH))
        for batch in rows.partitions():
            writer.writerows(
                (name, dept_name, category or "", quantity, threshold, barcode or "")
                for name, dept_name, category, quantity, threshold, barcode in batch
            )
            written += len(batch)
    return written
