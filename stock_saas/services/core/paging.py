"""Bounds shared by every paged listing: page size and offset checks with one wording."""

from __future__ import annotations

from stock_saas.errors import ValidationFailed

__all__ = ["check_page"]


def check_page(limit: int, offset: int = 0, *, maximum: int) -> None:
    """ValidationFailed unless ``1 <= limit <= maximum`` and ``offset >= 0``."""
    if not 1 <= limit <= maximum:
        raise ValidationFailed(f"limit must be between 1 and {maximum}.")
    if offset < 0:
        raise ValidationFailed("offset must not be negative.")
