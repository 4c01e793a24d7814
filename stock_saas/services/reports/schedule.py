"""When the weekly digest goes out: Monday 07:00 in the tenant's time zone.

A digest belongs to an ISO week of the tenant's calendar (``period``, e.g. ``2026-W49``)
and is due from Monday 07:00 local time until that Monday ends: the scheduler looks
every 15 minutes (zones such as Asia/Kathmandu are offset by quarter hours), and a
scheduler that was down at 07:00 still sends that morning. Once per user and period is
enforced by the database (``uq_notifications_user_period``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from stock_saas.errors import ValidationFailed

__all__ = [
    "DIGEST_TIME",
    "DIGEST_WEEKDAY",
    "check_time_zone",
    "digest_period",
    "next_digest_at",
    "time_zones",
]

DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(7, 0)


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA zone a tenant may choose, sorted (``UTC`` included)."""
    names = {
        n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/"))
    }
    return tuple(sorted(names | {"UTC"}))


def check_time_zone(name: str) -> str:
    """``name`` if it is an IANA zone we offer, else ValidationFailed."""
    zone = (name or "").strip()
    if zone not in time_zones():
        raise ValidationFailed(
            f"{zone!r} is not a time zone we know; use an IANA name such as Europe/Berlin."
        )
    return zone


def _local(now: datetime, time_zone: str) -> datetime:
    return now.astimezone(ZoneInfo(time_zone))


def digest_period(now: datetime, time_zone: str) -> str | None:
    """The ISO week whose digest is due at ``now`` in ``time_zone``, or None."""
    local = _local(now, time_zone)
    if local.weekday() != DIGEST_WEEKDAY or local.time() < DIGEST_TIME:
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def next_digest_at(now: datetime, time_zone: str) -> datetime:
    """The next Monday 07:00 in ``time_zone`` after ``now``, in UTC."""
    local = _local(now, time_zone)
    days_ahead = (DIGEST_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(
        local.date() + timedelta(days=days_ahead), DIGEST_TIME, tzinfo=ZoneInfo(time_zone)
    )
    if candidate <= local:
        candidate = datetime.combine(
            candidate.date() + timedelta(days=7), DIGEST_TIME, tzinfo=ZoneInfo(time_zone)
        )
    return candidate.astimezone(UTC)
