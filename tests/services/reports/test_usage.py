"""One item's usage on a hand-computed history: figures, the daily series, the window's
edge, what is not usage, zero usage, tenants and roles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from stock_saas.errors import NotFound, ValidationFailed
from stock_saas.services import catalog, reports, stock
from stock_saas.services.core import Context
from stock_saas.services.reports import ItemUsage
from tests.support.history import adjust, at_noon, backdate, clear_of_midnight


@pytest.fixture
def gloves(manager_a: Context, user_a: Context) -> int:
    """Gloves in Ward (threshold 30) and Lab, moved at noon on the days below; today a
    restock of 50. Ward ends at 107, Lab at 18 (see the test for the arithmetic)."""
    clear_of_midnight()
    catalog.create_department(ctx=manager_a, name="Lab")
    added = stock.add_stock(
        ctx=manager_a, name="Gloves", quantity=100, threshold=30, department="Ward"
    )
    backdate(added, at_noon(20))
    for days_ago, change in [
        (10, stock.issue_stock(ctx=user_a, item="Gloves", quantity=10, department="Ward")),
        (5, stock.issue_stock(ctx=user_a, item="Gloves", quantity=8, department="Ward")),
        (4, stock.return_stock(ctx=user_a, item="Gloves", quantity=3, department="Ward")),
        (
            3,
            stock.transfer_stock(
                ctx=manager_a,
                item="Gloves",
                quantity=20,
                from_department="Ward",
                to_department="Lab",
            ),
        ),
        (2, adjust(manager_a, "Gloves", "Ward", -4)),  # damaged: written off
        (2, adjust(manager_a, "Gloves", "Ward", +1)),  # found: not usage
        (1, stock.issue_stock(ctx=user_a, item="Gloves", quantity=5, department="Ward")),
        (1, stock.issue_stock(ctx=user_a, item="Gloves", quantity=2, department="Lab")),
    ]:
        backdate(change, at_noon(days_ago))
    stock.restock(ctx=manager_a, item="Gloves", quantity=50, department="Ward")
    return added.item_id


def _department(ctx: Context, name: str) -> int:
    return next(d.id for d in catalog.list_departments(ctx=ctx) if d.name == name)


def _by_days_ago(usage: ItemUsage) -> dict[int, tuple[int, int, int]]:
    today = usage.until.date()
    return {(today - p.date).days: (p.issued, p.returned, p.quantity_end) for p in usage.series}


def test_one_stock_level_over_a_week(gloves: int, user_a: Context):
    ward = _department(user_a, "Ward")
    usage = reports.item_usage(ctx=user_a, item_id=gloves, days=7, department_id=ward)
    # In the window: issued 8 + 5, returned 3; the 10 issued 10 days ago are outside.
    assert (usage.issued, usage.returned, usage.written_off, usage.net_usage) == (13, 3, 4, 10)
    assert (usage.quantity, usage.threshold, usage.department) == (107, 30, "Ward")
    assert usage.daily_usage == pytest.approx(10 / 7, abs=1e-4)
    assert usage.days_left == pytest.approx(107 * 7 / 10, abs=0.01)
    assert usage.stockout_date == (usage.until + timedelta(days=107 * 7 / 10)).date()
    # quantity at the end of each UTC date, from 7 days ago (partly in the window) to today
    assert _by_days_ago(usage) == {
        7: (0, 0, 90),
        6: (0, 0, 90),
        5: (8, 0, 82),
        4: (0, 3, 85),
        3: (0, 0, 65),  # the transfer out is not usage
        2: (0, 0, 62),  # the adjustments are not usage either (written off: 4)
        1: (5, 0, 57),
        0: (0, 0, 107),  # today's restock
    }


def test_all_departments_add_up_and_transfers_cancel_out(gloves: int, user_a: Context):
    usage = reports.item_usage(ctx=user_a, item_id=gloves, days=7)
    assert (usage.issued, usage.returned, usage.written_off, usage.net_usage) == (15, 3, 4, 12)
    assert (usage.quantity, usage.threshold, usage.department_id) == (125, 30, None)
    # 125 today; 75 before the restock; 82 before 7 issued; 85 before the -4 +1 adjusts;
    # the transfer (Ward -20, Lab +20) leaves 85 too.
    assert [_by_days_ago(usage)[n] for n in (0, 1, 2, 3, 4)] == [
        (0, 0, 125),
        (7, 0, 75),
        (0, 0, 82),
        (0, 0, 85),
        (0, 3, 85),
    ]


def test_the_window_ends_now_and_starts_exactly_days_before(manager_a: Context, user_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Masks", quantity=10, threshold=0)
    just_outside = stock.issue_stock(ctx=user_a, item="Masks", quantity=1)
    just_inside = stock.issue_stock(ctx=user_a, item="Masks", quantity=2)
    now = reports.item_usage(ctx=user_a, item_id=added.item_id, days=7).until
    backdate(just_outside, now - timedelta(days=7, hours=1))
    backdate(just_inside, now - timedelta(days=7) + timedelta(hours=1))
    usage = reports.item_usage(ctx=user_a, item_id=added.item_id, days=7)
    assert (usage.issued, usage.net_usage, usage.quantity) == (2, 2, 7)
    assert sum(p.issued for p in usage.series) == 2


def test_no_usage_means_no_days_left(manager_a: Context, user_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Masks", quantity=10, threshold=5)
    stock.restock(ctx=manager_a, item="Masks", quantity=5)
    usage = reports.item_usage(ctx=user_a, item_id=added.item_id)
    assert (usage.net_usage, usage.daily_usage, usage.days_left, usage.stockout_date) == (
        0,
        0.0,
        None,
        None,
    )
    assert len(usage.series) in (30, 31) and all(p.quantity_end == 15 for p in usage.series[-1:])


def test_more_returned_than_issued_means_no_days_left(manager_a: Context, user_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Masks", quantity=10)
    backdate(stock.issue_stock(ctx=user_a, item="Masks", quantity=4), at_noon(40))
    stock.return_stock(ctx=user_a, item="Masks", quantity=3)
    usage = reports.item_usage(ctx=user_a, item_id=added.item_id)
    assert (usage.issued, usage.returned, usage.net_usage, usage.days_left) == (0, 3, -3, None)


@pytest.mark.parametrize("days", [0, 366, -1])
def test_a_window_outside_1_to_365_days_is_refused(days: int, user_a: Context):
    with pytest.raises(ValidationFailed, match="days must be"):
        reports.item_usage(ctx=user_a, item_id=1, days=days)


def test_another_tenants_item_or_department_is_not_found(manager_a: Context, admin_b: Context):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    with pytest.raises(NotFound):
        reports.item_usage(ctx=admin_b, item_id=added.item_id)
    own = stock.add_stock(ctx=admin_b, name="Masks", quantity=5)
    with pytest.raises(NotFound):
        reports.item_usage(ctx=admin_b, item_id=own.item_id, department_id=added.department_id)


def test_a_department_where_the_item_is_not_stocked_is_not_found(manager_a: Context):
    added = stock.add_stock(ctx=manager_a, name="Gloves", quantity=5)
    lab = catalog.create_department(ctx=manager_a, name="Lab")
    with pytest.raises(NotFound, match="not stocked in Lab"):
        reports.item_usage(ctx=manager_a, item_id=added.item_id, department_id=lab.id)
