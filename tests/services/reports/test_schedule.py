"""When the weekly digest is due: Monday 07:00 in the tenant's zone (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stock_saas.errors import ValidationFailed
from stock_saas.services.reports import check_time_zone, digest_period, next_digest_at


@pytest.mark.parametrize(
    ("utc", "zone", "period"),
    [
        ("2026-11-30T06:59:59", "UTC", None),  # Monday, a second early
        ("2026-11-30T07:00:00", "UTC", "2026-W49"),
        ("2026-11-30T23:59:00", "UTC", "2026-W49"),  # catching up later that Monday
        ("2026-12-01T07:00:00", "UTC", None),  # Tuesday
        ("2026-11-30T06:00:00", "Europe/Berlin", "2026-W49"),  # 07:00 CET
        ("2026-11-30T05:59:00", "Europe/Berlin", None),
        ("2026-07-06T05:00:00", "Europe/Berlin", "2026-W28"),  # 07:00 CEST (summer time)
        ("2026-11-30T01:15:00", "Asia/Kathmandu", "2026-W49"),  # 07:00 at +05:45
        ("2026-11-30T01:14:00", "Asia/Kathmandu", None),
        ("2026-11-29T18:00:00", "Pacific/Auckland", "2026-W49"),  # Monday 07:00 at +13:00
        ("2026-11-30T12:00:00", "America/New_York", "2026-W49"),  # 07:00 EST
        ("2026-11-30T11:59:00", "America/New_York", None),
    ],
)
def test_due_from_monday_0700_local_until_that_monday_ends(utc: str, zone: str, period: str | None):
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert digest_period(now, zone) == period


def test_the_next_digest_is_the_coming_monday_0700_local():
    tuesday = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert next_digest_at(tuesday, "Europe/Berlin") == datetime(2026, 12, 7, 6, tzinfo=UTC)
    monday_early = datetime(2026, 11, 30, 5, tzinfo=UTC)
    assert next_digest_at(monday_early, "Europe/Berlin") == datetime(2026, 11, 30, 6, tzinfo=UTC)
    monday_late = datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert next_digest_at(monday_late, "Europe/Berlin") == datetime(2026, 12, 7, 6, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "utc"])
def test_unknown_time_zones_are_refused(name: str):
    with pytest.raises(ValidationFailed, match="not a time zone"):
        check_time_zone(name)


def test_iana_names_are_accepted():
    assert [check_time_zone(n) for n in ("UTC", " Europe/Berlin ")] == ["UTC", "Europe/Berlin"]
