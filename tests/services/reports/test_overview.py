"""The dashboard's header figures on the hand-computed store."""

from __future__ import annotations

from stock_saas.services import catalog, reports, stock
from stock_saas.services.core import Context


def test_counts_and_30_days_of_movements(store: Context, user_a: Context):
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=2, department="Ward")
    stock.set_threshold(ctx=store, item="Gloves", threshold=12, department="Ward")
    overview = reports.stock_overview(ctx=user_a)
    # Bandages is low; Tape (0 left, 1/day) and Swabs (20 left, 3/day) run out within 7
    # days at the last 30 days' pace.
    assert (overview.stock_levels, overview.low_now, overview.running_out) == (6, 1, 2)
    # today: the five adds, the Gloves restock and this issue (the threshold change is not
    # a movement; the rest of the history is dated in the past)
    assert overview.movements_today == 7
    assert len(overview.series) in (30, 31)
    assert overview.series[-1].issued == 2 and overview.series[-1].date == overview.as_of.date()
    assert sum(d.issued for d in overview.series) == 60 + 30 + 90 + 30 + 2
    assert sum(d.returned for d in overview.series) == 0


def test_one_department(store: Context, user_a: Context):
    lab = next(d.id for d in catalog.list_departments(ctx=user_a) if d.name == "Lab")
    overview = reports.stock_overview(ctx=user_a, department_id=lab)
    assert (overview.stock_levels, overview.low_now, overview.running_out) == (2, 0, 1)
    assert sum(d.issued for d in overview.series) == 30


def test_another_tenant_counts_nothing_of_ours(store: Context, admin_b: Context):
    overview = reports.stock_overview(ctx=admin_b)
    assert (overview.stock_levels, overview.movements_today) == (0, 0)
    assert all(d.issued == 0 for d in overview.series)
