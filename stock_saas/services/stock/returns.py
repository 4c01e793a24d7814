"""A person's return puts back what was issued, nothing more.

For the ``user`` role a return goes into an existing stock level and is bounded by the
units issued from that level and not yet returned (the audit log's issues minus its
returns). Anything beyond that would create stock out of nothing, which is a restock: a
manager's job. Managers and admins return without that bound (as a restock would).

The bound is read under the stock level's row lock (FOR UPDATE on PostgreSQL; SQLite's
write transactions are serial), so two returns racing for the same issued units cannot
both pass.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Forbidden
from stock_saas.models import AuditLog, MovementAction, StockLevel
from stock_saas.services.catalog import DepartmentRef, ItemRef
from stock_saas.services.core import Context, scoped, scoped_columns
from stock_saas.services.stock.changes import StockChange
from stock_saas.services.stock.write_path import apply_move, locate

__all__ = ["bounded_return"]


def bounded_return(
    ctx: Context, item: ItemRef, department: DepartmentRef, quantity: int, note: str
) -> StockChange:
    """Return ``quantity`` units as a ``user``: at most what is out and not yet back."""
    with write_session() as session:
        target = locate(session, ctx, item, department)
        if target.level_id is None:
            raise Forbidden(
                f"{target.item_name!r} was never stocked in {target.department_name}, so "
                "nothing can be returned there; putting stock in is a manager's restock."
            )
        session.exec(
            scoped(ctx, StockLevel).where(col(StockLevel.id) == target.level_id).with_for_update()
        ).one()
        out = _issued_not_returned(ctx, session, target.level_id)
        if quantity > out:
            raise Forbidden(
                f"Only {out} of {target.item_name!r} issued from {target.department_name} "
                f"{'is' if out == 1 else 'are'} waiting to be returned; returning more is "
                "a restock, which needs a manager."
            )
        return apply_move(
            session, ctx, target, delta=quantity, action=MovementAction.RETURN, note=note
        )


def _issued_not_returned(ctx: Context, session: Session, level_id: int) -> int:
    # Issues are negative deltas and returns positive ones: what is still out is minus
    # their sum (never below zero: a manager may have put back more than was issued).
    total = session.execute(
        scoped_columns(ctx, AuditLog, func.coalesce(func.sum(-col(AuditLog.delta)), 0)).where(
            col(AuditLog.stock_level_id) == level_id,
            col(AuditLog.action).in_((MovementAction.ISSUE, MovementAction.RETURN)),
        )
    ).scalar_one()
    return max(int(total), 0)
