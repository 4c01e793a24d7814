"""The arithmetic of usage, exact: what a window's movements say about a stock level.

For a window of ``days`` days ending now (DESIGN.md):

- ``net_usage = issued - returned`` (units out by issue, back by return; transfers,
  restocks, imports and adjustments are not usage; negative adjusts are reported apart as
  ``written_off``);
- ``daily_usage = net_usage / days``;
- ``days_left = quantity / daily_usage``, None when daily_usage <= 0;
- ``suggested_order = max(0, ceil(threshold + daily_usage * cover_days - quantity))``.

Everything is computed from the integers (``daily_usage * cover_days`` as
``net_usage * cover_days / days``), so ``ceil`` never lands on the wrong side of a
whole number because of a float; only the figures shown are rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from stock_saas.errors import ValidationFailed

__all__ = [
    "DEFAULT_COVER_DAYS",
    "DEFAULT_DAYS",
    "MAX_COVER_DAYS",
    "MAX_DAYS",
    "Usage",
    "check_cover_days",
    "check_days",
]

DEFAULT_DAYS = 30
MAX_DAYS = 365
DEFAULT_COVER_DAYS = 30
MAX_COVER_DAYS = 365


def check_days(days: int) -> int:
    """The window length: a whole number of days, 1 to 365."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"days must be a whole number from 1 to {MAX_DAYS} (got {days}).")
    return days


def check_cover_days(cover_days: int) -> int:
    """How many days an order should last: 0 to 365 (0: just back to the threshold)."""
    if (
        isinstance(cover_days, bool)
        or not isinstance(cover_days, int)
        or not 0 <= cover_days <= MAX_COVER_DAYS
    ):
        raise ValidationFailed(
            f"cover_days must be a whole number from 0 to {MAX_COVER_DAYS} (got {cover_days})."
        )
    return cover_days


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


@dataclass(frozen=True, slots=True)
class Usage:
    """Units moved by usage in a window of ``days`` days."""

    days: int
    issued: int = 0
    returned: int = 0
    written_off: int = 0

    @property
    def net_usage(self) -> int:
        return self.issued - self.returned

    @property
    def daily_usage(self) -> float:
        return round(self.net_usage / self.days, 4)

    def days_left(self, quantity: int) -> float | None:
        """Days until ``quantity`` runs out at this pace; None when nothing is used."""
        if self.net_usage <= 0:
            return None
        return round(quantity * self.days / self.net_usage, 2)

    def stockout_date(self, quantity: int, now: datetime) -> date | None:
        """The UTC date stock runs out at this pace (today if it already has)."""
        if self.net_usage <= 0:
            return None
        seconds = quantity * self.days * 86_400 // self.net_usage
        return (now + timedelta(seconds=min(seconds, 10**6 * 86_400))).date()

    def suggested_order(self, quantity: int, threshold: int, cover_days: int) -> int:
        """Units to order so that ``cover_days`` of usage leave the level at its threshold."""
        needed = (threshold - quantity) * self.days + self.net_usage * cover_days
        return max(0, _ceil_div(needed, self.days))

    def runs_low_within(self, quantity: int, threshold: int, cover_days: int) -> bool:
        """Low now, or below the threshold within ``cover_days`` at this pace."""
        return quantity < threshold or (quantity - threshold) * self.days < (
            self.net_usage * cover_days
        )
