"""Input rules shared by every service: names, quantities, thresholds."""

from __future__ import annotations

import re

from stock_saas.errors import ValidationFailed
from stock_saas.models import NAME_MAX

__all__ = ["MAX_QUANTITY", "clean_name", "clean_optional", "non_negative", "positive_quantity"]

MAX_QUANTITY = 1_000_000_000
_CONTROL = re.compile("[\x00-\x1f]")  # one regex search beats a Python loop per character


def clean_name(value: str | None, what: str, *, max_length: int = NAME_MAX) -> str:
    """``value`` stripped; ValidationFailed when empty, too long or holding control chars."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(f"{what.capitalize()} must not be empty.")
    if len(text) > max_length:
        raise ValidationFailed(f"{what.capitalize()} is longer than {max_length} characters.")
    if _CONTROL.search(text):
        raise ValidationFailed(f"{what.capitalize()} must not contain control characters.")
    return text


def clean_optional(value: str | None, what: str, *, max_length: int = NAME_MAX) -> str | None:
    """Like :func:`clean_name`, but blank means None."""
    if value is None or not value.strip():
        return None
    return clean_name(value, what, max_length=max_length)


def positive_quantity(quantity: int, what: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ValidationFailed(f"{what.capitalize()} must be a whole number.")
    if quantity <= 0:
        raise ValidationFailed(f"{what.capitalize()} must be at least 1 (got {quantity}).")
    if quantity > MAX_QUANTITY:
        raise ValidationFailed(f"{what.capitalize()} must be at most {MAX_QUANTITY}.")
    return quantity


def non_negative(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"{what.capitalize()} must be a whole number.")
    if value < 0:
        raise ValidationFailed(f"{what.capitalize()} must not be negative (got {value}).")
    if value > MAX_QUANTITY:
        raise ValidationFailed(f"{what.capitalize()} must be at most {MAX_QUANTITY}.")
    return value
