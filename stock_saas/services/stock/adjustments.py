"""Adjusting stock to what is on the shelf: a counted quantity or a signed change, with a
reason (counted, damaged, expired, lost, found, correction) and an optional note.

Both go through the guarded write path (:func:`.write_path.apply_move`) as one ``adjust``
audit row. ``counted`` locks the stock level and takes the difference inside the same
transaction, so a movement committed a moment earlier is never overwritten: the level
ends at exactly the counted quantity. ``damaged``, ``expired`` and ``lost`` are write-offs
(they only lower stock; reports read negative adjusts as such), ``found`` only raises it.
"""

from __future__ import annotations

from sqlmodel import Session, col

from stock_saas.db import write_session
from stock_saas.errors import Conflict, InsufficientStock, ValidationFailed
from stock_saas.models import AdjustReason, MovementAction, StockLevel
from stock_saas.services.catalog import DepartmentRef, ItemRef
from stock_saas.services.core import (
    MAX_QUANTITY,
    Context,
    Role,
    clean_optional,
    non_negative,
    require_role,
    scoped_columns,
)
from stock_saas.services.stock.changes import StockChange
from stock_saas.services.stock.write_path import Target, apply_move, locate

__all__ = ["WRITE_OFF_REASONS", "adjust_stock", "apply_adjustment"]

WRITE_OFF_REASONS = frozenset({AdjustReason.DAMAGED, AdjustReason.EXPIRED, AdjustReason.LOST})


def adjust_stock(
    *,
    ctx: Context,
    item: ItemRef,
    reason: AdjustReason | str,
    counted: int | None = None,
    delta: int | None = None,
    department: DepartmentRef = None,
    note: str = "",
) -> StockChange:
    """Set a stock level to ``counted`` units, or change it by ``delta`` (exactly one of
    the two), audited as ``adjust`` with ``reason`` and ``note`` (manager). The level never
    goes below zero (InsufficientStock, nothing changed)."""
    require_role(ctx, Role.MANAGER)
    why = _reason(reason)
    text = clean_optional(note, "note", max_length=500) or ""
    if (counted is None) == (delta is None):
        raise ValidationFailed(
            "Give exactly one of counted (the quantity on the shelf) and delta (a signed change)."
        )
    if counted is not None:
        counted = non_negative(counted, "counted")
    else:
        delta = _signed(delta)
    with write_session() as session:
        target = locate(session, ctx, item, department)
        return _adjust(session, ctx, target, why, text, counted=counted, delta=delta)


def apply_adjustment(
    session: Session,
    ctx: Context,
    *,
    item_id: int,
    department_id: int,
    delta: int,
    reason: AdjustReason,
    note: str = "",
) -> StockChange:
    """One ``adjust`` of ``delta`` inside the caller's transaction (for services that apply
    many, such as a count's submit; the caller checks the role)."""
    target = locate(session, ctx, item_id, department_id)
    return _adjust(session, ctx, target, reason, note, counted=None, delta=_signed(delta))


def _reason(value: AdjustReason | str) -> AdjustReason:
    try:
        return AdjustReason(value)
    except ValueError:
        choices = ", ".join(r.value for r in AdjustReason)
        raise ValidationFailed(f"Reason must be one of {choices} (got {value!r}).") from None


def _signed(delta: int | None) -> int:
    if isinstance(delta, bool) or not isinstance(delta, int):
        raise ValidationFailed("Delta must be a whole number.")
    if delta == 0:
        raise ValidationFailed("A delta of 0 changes nothing; give a signed change such as -2.")
    if abs(delta) > MAX_QUANTITY:
        raise ValidationFailed(f"Delta must be between -{MAX_QUANTITY} and {MAX_QUANTITY}.")
    return delta


def _adjust(
    session: Session,
    ctx: Context,
    target: Target,
    reason: AdjustReason,
    note: str,
    *,
    counted: int | None,
    delta: int | None,
) -> StockChange:
    where = f"{target.item_name!r} in {target.department_name}"
    if target.level_id is None and delta is not None and delta < 0:
        raise InsufficientStock(
            f"{where.capitalize()} is not stocked; cannot write off {-delta}.",
            available=0,
            requested=-delta,
        )
    on_hand = 0
    if target.level_id is not None:
        # Locked: a counted quantity is compared with the level as it is now, and nothing
        # moves it before this transaction's guarded update.
        on_hand = session.execute(
            scoped_columns(ctx, StockLevel, col(StockLevel.quantity))
            .where(col(StockLevel.id) == target.level_id)
            .with_for_update()
        ).scalar_one()
    if counted is not None:
        change = counted - on_hand
        _check_counted(reason, counted, on_hand, where)
    else:
        assert delta is not None
        change = delta
        _check_delta(reason, delta)
    if on_hand + change < 0:
        raise InsufficientStock(
            f"Only {on_hand} of {where}; cannot take {-change} ({reason.value}).",
            available=on_hand,
            requested=-change,
        )
    if on_hand + change > MAX_QUANTITY:
        raise Conflict(
            f"{where.capitalize()} would hold {on_hand + change}; at most {MAX_QUANTITY}."
        )
    return apply_move(
        session, ctx, target, delta=change, action=MovementAction.ADJUST, note=note, reason=reason
    )


def _check_delta(reason: AdjustReason, delta: int) -> None:
    # Reason against the delta's sign: a rule across two fields, so 409 like _check_counted.
    if reason in WRITE_OFF_REASONS and delta > 0:
        raise Conflict(
            f"{reason.value!r} writes stock off, so its delta must be negative (got +{delta})."
        )
    if reason is AdjustReason.FOUND and delta < 0:
        raise Conflict(f"'found' adds stock, so its delta must be positive (got {delta}).")


def _check_counted(reason: AdjustReason, counted: int, on_hand: int, where: str) -> None:
    if reason in WRITE_OFF_REASONS and counted >= on_hand:
        raise Conflict(
            f"Counted {counted} of {where} with {on_hand} on hand: nothing to write off as "
            f"{reason.value!r} (use 'counted', 'found' or 'correction')."
        )
    if reason is AdjustReason.FOUND and counted <= on_hand:
        raise Conflict(
            f"Counted {counted} of {where} with {on_hand} on hand: nothing was found "
            f"(use 'counted', a write-off reason or 'correction')."
        )
