"""The arithmetic of DESIGN.md, checked against exact fractions (no database)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stock_saas.services.reports import Usage

units = st.integers(min_value=0, max_value=10**6)


@given(
    days=st.integers(min_value=1, max_value=365),
    issued=units,
    returned=units,
    quantity=units,
    threshold=units,
    cover=st.integers(min_value=0, max_value=365),
)
def test_suggested_order_is_the_formula_computed_exactly(
    days: int, issued: int, returned: int, quantity: int, threshold: int, cover: int
):
    usage = Usage(days, issued=issued, returned=returned)
    daily = Fraction(issued - returned, days)
    assert usage.suggested_order(quantity, threshold, cover) == max(
        0, math.ceil(threshold + daily * cover - quantity)
    )
    low_or_soon = quantity < threshold or quantity - daily * cover < threshold
    assert usage.runs_low_within(quantity, threshold, cover) == low_or_soon


def test_a_whole_number_of_units_is_not_rounded_up_by_a_float():
    # 1 unit in 3 days, 3 days of cover: exactly 1 unit, although 1/3 * 3 is not 1.0 in
    # every float order of operations.
    assert Usage(3, issued=1).suggested_order(10, 10, 3) == 1
    assert Usage(7, issued=10).suggested_order(0, 0, 7) == 10


def test_days_left_and_stockout_date():
    usage = Usage(30, issued=60, returned=0)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert (usage.daily_usage, usage.days_left(50)) == (2.0, 25.0)
    assert usage.stockout_date(50, now) == date(2026, 12, 26)
    assert usage.days_left(0) == 0.0 and usage.stockout_date(0, now) == date(2026, 12, 1)


def test_no_or_negative_usage_has_no_days_left():
    for usage in (Usage(30), Usage(30, issued=2, returned=5)):
        assert usage.days_left(10) is None
        assert usage.stockout_date(10, datetime.now(UTC)) is None


def test_a_stock_that_lasts_millennia_still_has_a_date():
    assert Usage(365, issued=1).stockout_date(10**9, datetime.now(UTC)) is not None
