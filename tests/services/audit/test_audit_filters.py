"""The audit listing's filters and one item's history return exactly the matching rows,
newest first by (created_at, id), and a cursor walk keeps that order through ties and
through rows whose ids disagree with their times; the count stops at COUNT_LIMIT."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from stock_saas import db
from stock_saas.errors import Conflict, NotFound
from stock_saas.models import AuditLog
from stock_saas.services import audit, stock
from stock_saas.services.audit import log
from stock_saas.services.core import Context, write_cursor
from stock_saas.services.stock import AdjustReason, MovementAction

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _movements(manager: Context) -> dict[str, int]:
    """Two items over two departments, every kind of movement, and the ids involved."""
    gloves = stock.add_stock(ctx=manager, name="Gloves", quantity=50, department="Ward")
    stock.add_stock(ctx=manager, name="Gloves", quantity=20, department="Lab")
    masks = stock.add_stock(ctx=manager, name="Masks", quantity=30, department="Lab")
    for _ in range(3):
        stock.issue_stock(ctx=manager, item="Gloves", quantity=2, department="Ward")
        stock.issue_stock(ctx=manager, item="Masks", quantity=1, department="Lab")
    stock.return_stock(ctx=manager, item="Gloves", quantity=1, department="Ward")
    stock.restock(ctx=manager, item="Masks", quantity=5, department="Lab")
    stock.transfer_stock(
        ctx=manager, item="Gloves", quantity=3, from_department="Ward", to_department="Lab"
    )
    stock.adjust_stock(
        ctx=manager, item="Masks", reason=AdjustReason.DAMAGED, delta=-2, department="Lab"
    )
    stock.adjust_stock(
        ctx=manager, item="Gloves", reason=AdjustReason.COUNTED, counted=40, department="Ward"
    )
    return {"gloves": gloves.item_id, "masks": masks.item_id, "ward": gloves.department_id,
            "lab": masks.department_id}  # fmt: skip


def _matches(entry: audit.AuditEntry, flt: audit.AuditFilter) -> bool:
    wanted = {k: v for k, v in asdict(flt).items() if v is not None and k not in ("since", "until")}
    if any(getattr(entry, k) != v for k, v in wanted.items()):
        return False
    if flt.since is not None and entry.created_at < flt.since:
        return False
    return flt.until is None or entry.created_at < flt.until


def _newest_first(entries: list[audit.AuditEntry]) -> list[int]:
    return [e.id for e in sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)]


def test_every_filter_and_combination_returns_exactly_its_rows(
    admin_a: Context, manager_a: Context, admin_b: Context, manager_b: Context
):
    ids = _movements(manager_a)
    _movements(manager_b)  # another tenant's rows, same names: never listed
    everything = audit.latest(ctx=admin_a, limit=1000).entries
    assert len(everything) == 15
    middle = sorted(e.created_at for e in everything)[7]
    filters: list[dict[str, Any]] = [
        {"item_id": ids["gloves"]},
        {"department_id": ids["lab"]},
        {"action": MovementAction.ISSUE},
        {"action": MovementAction.ADJUST, "reason": AdjustReason.DAMAGED},
        {"since": middle},
        {"until": middle},
        {"item_id": ids["masks"], "action": MovementAction.ISSUE},
        {"department_id": ids["ward"], "action": MovementAction.TRANSFER_OUT},
        {"department_id": ids["lab"], "since": middle},
        {"item_id": ids["gloves"], "department_id": ids["lab"], "until": middle},
        {"action": MovementAction.RESTOCK, "since": middle, "until": middle},
    ]
    for fields in filters:
        flt = audit.AuditFilter(**fields)
        expected = _newest_first([e for e in everything if _matches(e, flt)])
        page = audit.latest(ctx=admin_a, limit=1000, flt=flt)
        assert [e.id for e in page.entries] == expected, fields
        assert (page.total, page.total_exact) == (len(expected), True)
    assert [e.id for e in everything] == _newest_first(everything)


def test_item_history_is_that_items_rows_across_departments(
    admin_a: Context, manager_a: Context, user_a: Context, manager_b: Context
):
    ids = _movements(manager_a)
    everything = audit.latest(ctx=admin_a, limit=1000).entries
    expected = _newest_first([e for e in everything if e.item_id == ids["gloves"]])
    history = audit.item_history(ctx=user_a, item_id=ids["gloves"], limit=1000)
    assert [e.id for e in history.entries] == expected
    assert {e.department_id for e in history.entries} == {ids["ward"], ids["lab"]}
    other = stock.add_stock(ctx=manager_b, name="Gloves", quantity=1)
    with pytest.raises(NotFound):
        audit.item_history(ctx=user_a, item_id=other.item_id)


def _backdate(rows: dict[int, datetime]) -> None:
    with db.write_session() as session:
        for audit_id, created_at in rows.items():
            row = session.get(AuditLog, audit_id)
            assert row is not None
            row.created_at = created_at


def test_time_orders_the_listing_and_a_walk_crosses_ties_and_late_ids(
    admin_a: Context, manager_a: Context
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    made = [stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1).audit_id for _ in range(9)]
    # Three rows share one instant; the newest id carries the oldest time (a transaction
    # that took its id late), the oldest id the newest time.
    times = {audit_id: T0 + timedelta(minutes=n % 4) for n, audit_id in enumerate(made)}
    times[made[-1]], times[made[0]] = T0 - timedelta(days=1), T0 + timedelta(days=1)
    _backdate(times)
    flt = audit.AuditFilter(action=MovementAction.ISSUE)
    expected = sorted(made, key=lambda i: (times[i], i), reverse=True)
    assert [e.id for e in audit.latest(ctx=admin_a, limit=100, flt=flt).entries] == expected
    walked, cursor = [], None
    while True:
        page = audit.latest(ctx=admin_a, limit=2, flt=flt, cursor=cursor)
        walked += [e.id for e in page.entries]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert walked == expected
    week = audit.AuditFilter(since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1))
    inside = [i for i in expected if T0 - timedelta(hours=1) <= times[i] < T0 + timedelta(hours=1)]
    assert [e.id for e in audit.latest(ctx=admin_a, limit=100, flt=week).entries] == inside


def test_the_count_stops_at_its_limit(
    admin_a: Context, manager_a: Context, monkeypatch: pytest.MonkeyPatch
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    for _ in range(4):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1)
    monkeypatch.setattr(log, "COUNT_LIMIT", 5)
    exact = audit.latest(ctx=admin_a, limit=2)
    assert (exact.total, exact.total_exact) == (5, True)
    stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1)
    capped = audit.latest(ctx=admin_a, limit=2)
    assert (capped.total, capped.total_exact) == (5, False)
    assert len(audit.latest(ctx=admin_a, limit=100).entries) == 6


def test_a_cursor_holding_only_an_id_is_refused(admin_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    binding = asdict(audit.AuditFilter())
    old = write_cursor(admin_a, listing="audit", binding=binding, position=[10])
    with pytest.raises(Conflict, match="cursor"):
        audit.latest(ctx=admin_a, limit=1, cursor=old)
    bad_time = write_cursor(admin_a, listing="audit", binding=binding, position=["never", 10])
    with pytest.raises(Conflict, match="cursor"):
        audit.latest(ctx=admin_a, limit=1, cursor=bad_time)
