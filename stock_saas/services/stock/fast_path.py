"""The PostgreSQL fast path for issue/return/restock: one statement, one round trip.

A data-modifying CTE finds the stock level (by item and department id or name), applies
the guarded UPDATE and inserts the audit row; run in autocommit it is atomic on its own.
When it matches nothing (unknown names, no such stock level, too few units) the caller
falls back to the general path, which says precisely what is wrong.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Integer, String, bindparam, select, update
from sqlalchemy import insert as sa_insert
from sqlmodel import col

from stock_saas.db import driver_autocommit, get_engine
from stock_saas.models import AuditLog, Department, Item, MovementAction, StockLevel
from stock_saas.services import events
from stock_saas.services.catalog import DepartmentRef
from stock_saas.services.core import (
    MAX_QUANTITY,
    TENANT,
    Context,
    clean_name,
    execute_scoped_sql,
    scoped_template,
    utcnow,
)
from stock_saas.services.stock.changes import StockChange, change_events

__all__ = ["try_fast_move"]


@lru_cache(maxsize=16)
def _statement(item_by: str, department_by: str, guarded: bool) -> Any:
    item_clause = {
        "id": col(Item.id) == bindparam("item", type_=BigInteger),
        "name": col(Item.name) == bindparam("item", type_=String),
    }[item_by]
    department_clause = {
        "id": col(Department.id) == bindparam("department", type_=BigInteger),
        "name": col(Department.name) == bindparam("department", type_=String),
        "default": col(Department.is_default),
    }[department_by]
    target = (
        scoped_template(
            StockLevel,
            col(StockLevel.id).label("level_id"),
            col(Item.id).label("item_id"),
            col(Item.name).label("item_name"),
            col(Department.id).label("department_id"),
            col(Department.name).label("department_name"),
        )
        .join(Item, col(Item.id) == col(StockLevel.item_id))
        .join(Department, col(Department.id) == col(StockLevel.department_id))
        .where(item_clause, department_clause)
        .cte("target")
    )
    moved = update(StockLevel).where(
        col(StockLevel.tenant_id) == TENANT,
        col(StockLevel.id) == select(target.c.level_id).scalar_subquery(),
    )
    if guarded:
        moved = moved.where(col(StockLevel.quantity) >= -bindparam("delta", type_=Integer))
    else:  # never above MAX_QUANTITY: the general path says so precisely
        moved = moved.where(
            col(StockLevel.quantity) <= MAX_QUANTITY - bindparam("delta", type_=Integer)
        )
    moved_cte = (
        moved.values(quantity=col(StockLevel.quantity) + bindparam("delta", type_=Integer))
        .returning(col(StockLevel.id), col(StockLevel.quantity), col(StockLevel.threshold))
        .cte("moved")
    )
    audit_columns = [
        "tenant_id",
        "stock_level_id",
        "item_id",
        "department_id",
        "item_name",
        "department_name",
        "actor_id",
        "actor_name",
        "source",
        "action",
        "delta",
        "note",
        "created_at",
        "quantity_after",
        "threshold",
    ]
    table = AuditLog.__table__.c  # type: ignore[attr-defined]
    rows = select(
        TENANT,
        moved_cte.c.id,
        target.c.item_id,
        target.c.department_id,
        target.c.item_name,
        target.c.department_name,
        bindparam("actor_id", type_=table.actor_id.type),
        bindparam("actor_name", type_=table.actor_name.type),
        bindparam("source", type_=table.source.type),
        bindparam("action", type_=table.action.type),
        bindparam("delta", type_=Integer),
        bindparam("note", type_=table.note.type),
        bindparam("created_at", type_=table.created_at.type),
        moved_cte.c.quantity,
        moved_cte.c.threshold,
    ).select_from(moved_cte.join(target, target.c.level_id == moved_cte.c.id))
    return (
        sa_insert(AuditLog)
        .from_select(audit_columns, rows)
        .returning(
            col(AuditLog.id),
            col(AuditLog.stock_level_id),
            col(AuditLog.item_id),
            col(AuditLog.item_name),
            col(AuditLog.department_id),
            col(AuditLog.department_name),
            col(AuditLog.quantity_after),
            col(AuditLog.threshold),
        )
    )


@lru_cache(maxsize=64)
def _sql(
    item_by: str, department_by: str, guarded: bool, dialect: Any
) -> tuple[str, dict[str, Any]]:
    """The statement as the driver's SQL, compiled once (it has no bind processors), and
    the values of its constant parameters (e.g. MAX_QUANTITY)."""
    compiled = _statement(item_by, department_by, guarded).compile(dialect=dialect)
    constants = {name: value for name, value in compiled.params.items() if value is not None}
    return str(compiled), constants


def try_fast_move(
    ctx: Context,
    item: int | str,
    department: DepartmentRef,
    delta: int,
    action: MovementAction,
    note: str,
) -> StockChange | None:
    """Apply and audit ``delta`` in one statement, or None when the general path must decide."""
    dialect = get_engine().dialect
    if dialect.name != "postgresql":
        return None
    department_value: int | str | None
    if department is None:
        department_by, department_value = "default", None
    elif isinstance(department, int):
        department_by, department_value = "id", department
    else:
        department_by, department_value = "name", clean_name(department, "department")
    item_by = "id" if isinstance(item, int) else "name"
    item_value = item if isinstance(item, int) else clean_name(item, "item name")
    now = utcnow()
    sql, constants = _sql(item_by, department_by, delta < 0, dialect)
    params: dict[str, Any] = {
        **constants,
        "item": item_value,
        "delta": delta,
        "actor_id": ctx.user_id,
        "actor_name": ctx.actor_name[:120],
        "source": ctx.source.value,
        "action": action.value,
        "note": note,
        "created_at": now,
    }
    if department_value is not None:
        params["department"] = department_value
    with driver_autocommit() as cursor:
        row: Any = execute_scoped_sql(cursor, ctx, sql, params).fetchone()
    if row is None:
        return None
    change = StockChange(
        stock_level_id=row[1],
        item_id=row[2],
        name=row[3],
        department_id=row[4],
        department=row[5],
        delta=delta,
        quantity=row[6],
        threshold=row[7],
        audit_id=row[0],
    )
    for event in change_events(
        ctx, change, action, was_low=(change.quantity - delta) < change.threshold, created_at=now
    ):
        events.publish(event)
    return change
