"""The reorder list: who is on it, in what order, how much to order, per department,
as CSV; tenants and roles."""

from __future__ import annotations

import csv
import io

import pytest

from stock_saas.errors import Forbidden, ValidationFailed
from stock_saas.services import catalog, reports, stock
from stock_saas.services.core import Context


def test_low_or_running_low_within_cover_soonest_stockout_first(store: Context):
    report = reports.reorder_list(ctx=store)
    assert report.total == 4
    assert [
        (r.name, r.department, r.quantity, r.days_left, r.suggested_order, r.low)
        for r in report.rows
    ] == [
        ("Tape", "Lab", 0, 0.0, 30, False),  # 1/day, out now: order 0 + 30 - 0
        ("Swabs", "Ward", 20, 6.67, 80, False),  # 3/day: ceil(10 + 90 - 20)
        ("Gloves", "Ward", 50, 25.0, 20, False),  # 2/day: 10 + 60 - 50
        ("Bandages", "Ward", 5, None, 5, True),  # low, no usage: back to the threshold
    ]
    swabs = report.rows[1]
    assert (swabs.issued, swabs.returned, swabs.daily_usage) == (90, 0, 3.0)
    # Masks (1/day, 100 on hand) stays off: its transfer out of 50 is not usage.


def test_cover_days_and_window_change_who_is_on_it(store: Context):
    assert [r.name for r in reports.reorder_list(ctx=store, cover_days=0).rows] == ["Bandages"]
    last_week = reports.reorder_list(ctx=store, days=7, cover_days=30)
    assert [r.name for r in last_week.rows] == ["Tape", "Swabs", "Masks", "Bandages"]


def test_one_department_only(store: Context):
    lab = next(d.id for d in catalog.list_departments(ctx=store) if d.name == "Lab")
    report = reports.reorder_list(ctx=store, department_id=lab)
    assert [(r.name, r.department) for r in report.rows] == [("Tape", "Lab")]


def test_running_out_within_lists_what_the_dashboard_counts(store: Context):
    report = reports.reorder_list(ctx=store, running_out_days=7)
    assert [(r.name, r.days_left) for r in report.rows] == [("Tape", 0.0), ("Swabs", 6.67)]
    assert report.total == reports.stock_overview(ctx=store).running_out
    with pytest.raises(ValidationFailed):
        reports.reorder_list(ctx=store, running_out_days=0)


def test_pages_keep_the_order_and_the_total(store: Context):
    first = reports.reorder_list(ctx=store, limit=3)
    rest = reports.reorder_list(ctx=store, limit=3, offset=3)
    past = reports.reorder_list(ctx=store, limit=3, offset=10)
    assert [r.name for r in first.rows + rest.rows] == ["Tape", "Swabs", "Gloves", "Bandages"]
    assert (first.total, rest.total, past.total, past.rows) == (4, 4, 4, [])


def test_csv_has_every_row_and_neutralises_formulas(store: Context):
    stock.add_stock(ctx=store, name="=HYPERLINK(1)", quantity=0, threshold=3, department="Lab")
    out = io.StringIO()
    assert reports.write_reorder_csv(ctx=store, out=out) == 5
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(reports.CSV_HEADER)
    assert rows[1][:2] == ["Tape", "Lab"]
    assert ["'=HYPERLINK(1)", "Lab", "0", "3", "0.0", "", "", "3"] in rows


def test_users_may_not_read_it_managers_and_admins_may(
    store: Context, user_a: Context, admin_a: Context
):
    with pytest.raises(Forbidden):
        reports.reorder_list(ctx=user_a)
    with pytest.raises(Forbidden):
        reports.write_reorder_csv(ctx=user_a, out=io.StringIO())
    assert reports.reorder_list(ctx=admin_a).total == 4


def test_another_tenant_sees_only_its_own(store: Context, admin_b: Context):
    assert reports.reorder_list(ctx=admin_b).total == 0
    stock.add_stock(ctx=admin_b, name="Gauze", quantity=1, threshold=5)
    assert [r.name for r in reports.reorder_list(ctx=admin_b).rows] == ["Gauze"]


@pytest.mark.parametrize(("days", "cover"), [(0, 30), (366, 30), (30, -1), (30, 366)])
def test_bad_windows_are_refused(manager_a: Context, days: int, cover: int):
    with pytest.raises(ValidationFailed):
        reports.reorder_list(ctx=manager_a, days=days, cover_days=cover)
