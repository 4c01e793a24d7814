"""Setting many stock levels at once (the CSV import): the write path in bulk.

Inside the caller's transaction: missing levels are created at zero, every level is
locked in id order (so a concurrent issue waits, and transfers, which also lock in id
order, cannot deadlock with it), and each level that changes gets one set-based
``quantity = quantity + :delta`` with ``delta = new - old`` taken from the locked row,
and one audit row. A movement committed before the lock is kept in the books (the delta
is measured from it); one that comes after applies on top of the new quantity. So for
every level, quantity = sum of its audit deltas still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col

from stock_saas.models import AuditLog, MovementAction, StockLevel
from stock_saas.services.core import (
    CHUNK,
    Context,
    insert_rows,
    one_of,
    scoped_columns,
    update_rows,
    utcnow,
)

__all__ = ["LevelTarget", "LevelsSet", "set_levels"]


@dataclass(frozen=True, slots=True)
class LevelTarget:
    """What one stock level should hold; None keeps the current value."""

    item_id: int
    item_name: str
    department_id: int
    department_name: str
    quantity: int | None
    threshold: int | None


@dataclass(frozen=True, slots=True)
class LevelsSet:
    """How many levels changed (one audit row each) and the id of the last audit row."""

    changed: int
    last_audit_id: int | None


Key = tuple[int, int]  # (item id, department id)


def _levels(session: Session, ctx: Context, keys: set[Key]) -> dict[Key, int]:
    item_ids = sorted({item for item, _ in keys})
    found: dict[Key, int] = {}
    for start in range(0, len(item_ids), CHUNK):
        rows = session.execute(
            scoped_columns(
                ctx, StockLevel, col(StockLevel.item_id), col(StockLevel.department_id),
                col(StockLevel.id),
            ).where(one_of(session, col(StockLevel.item_id), item_ids[start : start + CHUNK]))
        )  # fmt: skip
        found.update({(i, d): level for i, d, level in rows if (i, d) in keys})
    return found


def _create(session: Session, ctx: Context, missing: set[Key]) -> dict[Key, int]:
    """Levels at zero for ``missing`` (a concurrent creation of one is found after)."""
    created = insert_rows(
        session,
        StockLevel,
        [
            {"tenant_id": ctx.tenant_id, "item_id": i, "department_id": d, "quantity": 0,
             "threshold": 0}
            for i, d in sorted(missing)
        ],
        returning=(col(StockLevel.item_id), col(StockLevel.department_id), col(StockLevel.id)),
        skip_existing=True,
    )  # fmt: skip
    ids = {(i, d): level for i, d, level in created}
    if len(ids) < len(missing):
        ids.update(_levels(session, ctx, missing - ids.keys()))
    return ids


def _locked(session: Session, ctx: Context, ids: list[int]) -> dict[int, tuple[int, int]]:
    """(quantity, threshold) of each level, locked in id order."""
    current: dict[int, tuple[int, int]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            scoped_columns(
                ctx, StockLevel, col(StockLevel.id), col(StockLevel.quantity),
                col(StockLevel.threshold),
            )
            .where(one_of(session, col(StockLevel.id), ids[start : start + CHUNK]))
            .order_by(col(StockLevel.id))
            .with_for_update()
        )  # fmt: skip
        current.update({level: (q, t) for level, q, t in rows})
    return current


def set_levels(
    session: Session,
    ctx: Context,
    targets: list[LevelTarget],
    *,
    action: MovementAction,
    note: str = "",
) -> LevelsSet:
    """Bring each target's level to its quantity and threshold (one target per level;
    the caller checks the role and publishes what it calls for)."""
    keys = {(t.item_id, t.department_id) for t in targets}
    ids = _levels(session, ctx, keys)
    missing = keys - ids.keys()
    if missing:
        ids.update(_create(session, ctx, missing))
    current = _locked(session, ctx, sorted(ids.values()))
    updates, audits = [], []
    now = utcnow()
    for target in targets:
        level = ids[(target.item_id, target.department_id)]
        old_quantity, old_threshold = current[level]
        quantity = old_quantity if target.quantity is None else target.quantity
        threshold = old_threshold if target.threshold is None else target.threshold
        if (quantity, threshold) == (old_quantity, old_threshold):
            continue
        delta = quantity - old_quantity
        updates.append({"id": level, "quantity": delta, "threshold": threshold})
        audits.append(
            {
                "tenant_id": ctx.tenant_id, "stock_level_id": level, "item_id": target.item_id,
                "department_id": target.department_id, "item_name": target.item_name,
                "department_name": target.department_name, "actor_id": ctx.user_id,
                "actor_name": ctx.actor_name[:120], "source": ctx.source.value,
                "action": action.value, "delta": delta, "quantity_after": quantity,
                "threshold": threshold, "note": note[:500], "reason": None, "created_at": now,
            }
        )  # fmt: skip
    if not updates:
        return LevelsSet(0, None)
    update_rows(session, ctx, StockLevel, updates, add=frozenset({"quantity"}))
    audit_ids = insert_rows(session, AuditLog, audits, returning=(col(AuditLog.id),))
    return LevelsSet(len(updates), max(int(row[0]) for row in audit_ids))
