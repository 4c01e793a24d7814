"""Adjust: to a counted quantity or by a signed change, with a reason, audited as ``adjust``."""

from __future__ import annotations

import csv
import io
import random
import threading

import pytest
from sqlalchemy import func
from sqlmodel import select

from stock_saas import db
from stock_saas.errors import Conflict, Forbidden, InsufficientStock, NotFound, ValidationFailed
from stock_saas.models import AuditLog, StockLevel
from stock_saas.services import audit, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import WRITE_OFF_REASONS, AdjustReason, MovementAction
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _on_hand(ctx: Context, name: str = "Gloves") -> int:
    rows = stock.list_stock(ctx=ctx, q=name).items
    return next(r.quantity for r in rows if r.name == name)


def _audit_rows() -> int:
    with db.read_session() as session:
        return session.exec(select(func.count()).select_from(AuditLog)).one()


def test_counted_sets_the_level_and_audits_the_difference(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=20, threshold=5)
    change = stock.adjust_stock(
        ctx=manager_a, item="Gloves", counted=18, reason="counted", note="shelf B2"
    )
    assert (change.quantity, change.delta) == (18, -2)
    entry = audit.latest(ctx=admin_a, limit=1).entries[0]
    assert (entry.action, entry.reason, entry.delta, entry.quantity_after, entry.note) == (
        MovementAction.ADJUST,
        AdjustReason.COUNTED,
        -2,
        18,
        "shelf B2",
    )


def test_counted_equal_to_stock_records_a_zero_adjust(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=7)
    assert stock.adjust_stock(ctx=manager_a, item="Gloves", counted=7, reason="counted").delta == 0
    entry = audit.latest(ctx=admin_a, limit=1).entries[0]
    assert (entry.action, entry.delta) == (MovementAction.ADJUST, 0)


def test_every_reason_is_stored_with_its_delta(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=50)
    expected = []
    for reason in AdjustReason:
        delta = -2 if reason in WRITE_OFF_REASONS or reason is AdjustReason.COUNTED else 3
        stock.adjust_stock(ctx=manager_a, item="Gloves", delta=delta, reason=reason)
        expected.append((reason, delta))
    entries = audit.latest(ctx=admin_a, limit=len(expected)).entries
    assert [(e.reason, e.delta) for e in reversed(entries)] == expected
    assert _on_hand(manager_a) == 50 + sum(d for _, d in expected)
    damaged = audit.latest(ctx=admin_a, flt=audit.AuditFilter(reason=AdjustReason.DAMAGED))
    assert [(e.reason, e.delta) for e in damaged.entries] == [(AdjustReason.DAMAGED, -2)]


def test_adjust_by_item_id_in_a_named_department(manager_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Masks", quantity=4, department="Lab")
    change = stock.adjust_stock(
        ctx=manager_a, item=added.item_id, department="Lab", delta=6, reason="found"
    )
    assert (change.department, change.quantity) == ("Lab", 10)


def test_write_off_below_zero_changes_nothing(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
    before = _audit_rows()
    with pytest.raises(InsufficientStock, match="Only 3 of 'Gloves' in General; cannot take 5"):
        stock.adjust_stock(ctx=manager_a, item="Gloves", delta=-5, reason="damaged")
    assert (_on_hand(manager_a), _audit_rows()) == (3, before)


BAD_ADJUSTMENTS: list[tuple[dict[str, object], type[Exception]]] = [
    ({"delta": 2, "reason": "damaged"}, Conflict),  # a write-off only lowers stock
    ({"delta": -2, "reason": "found"}, Conflict),  # found only raises it
    ({"counted": 12, "reason": "lost"}, Conflict),  # counted more than on hand: nothing lost
    ({"counted": 8, "reason": "found"}, Conflict),
    ({"delta": 0, "reason": "correction"}, ValidationFailed),
    ({"counted": 1, "delta": -1, "reason": "counted"}, ValidationFailed),
    ({"reason": "counted"}, ValidationFailed),
    ({"counted": -1, "reason": "counted"}, ValidationFailed),
    ({"delta": -1, "reason": "stolen"}, ValidationFailed),
    ({"delta": True, "reason": "correction"}, ValidationFailed),
]


def test_bad_adjustments_are_refused_and_change_nothing(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    before = _audit_rows()
    for kwargs, error in BAD_ADJUSTMENTS:
        with pytest.raises(error):
            stock.adjust_stock(ctx=manager_a, item="Gloves", **kwargs)  # type: ignore[arg-type]
        assert (_on_hand(manager_a), _audit_rows()) == (10, before), kwargs


def test_counting_an_unstocked_item_creates_its_level(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=1)
    stock.add_stock(ctx=manager_a, name="Tape", quantity=0, department="Lab")
    change = stock.adjust_stock(
        ctx=manager_a, item="Gloves", department="Lab", counted=4, reason="counted"
    )
    assert (change.department, change.quantity, change.delta) == ("Lab", 4, 4)


def test_users_may_not_adjust(manager_a: Context, user_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    with pytest.raises(Forbidden):
        stock.adjust_stock(ctx=user_a, item="Gloves", delta=-1, reason="lost")
    assert _on_hand(manager_a) == 10


def test_another_tenants_item_is_not_found(manager_a: Context, manager_b: Context):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    with pytest.raises(NotFound):
        stock.adjust_stock(ctx=manager_b, item=added.item_id, counted=0, reason="counted")
    with pytest.raises(NotFound):
        stock.adjust_stock(ctx=manager_b, item="Gloves", delta=-1, reason="lost")
    assert _on_hand(manager_a) == 10


def test_the_audit_csv_carries_the_reason(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    stock.adjust_stock(ctx=manager_a, item="Gloves", delta=-1, reason="expired", note="=lot 7")
    out = io.StringIO()
    audit.write_audit_csv(ctx=admin_a, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["action"], r["reason"], r["note"]) for r in rows] == [
        ("add", "", ""),
        ("adjust", "expired", "'=lot 7"),
    ]


def test_concurrent_issues_during_adjusts_keep_stock_equal_to_its_audit(
    manager_a: Context, user_a: Context
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=40)
    errors: list[BaseException] = []

    def issuer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(15):
            try:
                stock.issue_stock(ctx=user_a, item="Gloves", quantity=rng.randint(1, 3))
            except InsufficientStock:
                pass
            except BaseException as exc:
                errors.append(exc)

    def adjuster(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(10):
            try:
                if rng.random() < 0.5:
                    stock.adjust_stock(
                        ctx=manager_a, item="Gloves", counted=rng.randint(0, 30), reason="counted"
                    )
                else:
                    stock.adjust_stock(
                        ctx=manager_a, item="Gloves", delta=-rng.randint(1, 4), reason="damaged"
                    )
            except InsufficientStock:
                pass
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=issuer, args=(s,)) for s in range(4)]
    threads += [threading.Thread(target=adjuster, args=(s,)) for s in range(100, 103)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with db.read_session() as session:
        level = session.exec(select(StockLevel)).one()
        total = session.exec(select(func.sum(AuditLog.delta))).one()
        adjusts = session.exec(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "adjust")
        ).one()
    assert level.quantity >= 0
    assert level.quantity == total
    assert adjusts > 0
