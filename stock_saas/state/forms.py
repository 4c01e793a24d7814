"""Reading dialog form fields: whole numbers and optional text, with messages for the dialog."""

from __future__ import annotations

from typing import Any

from stock_saas.services.core import MAX_QUANTITY

__all__ = ["FormProblem", "text_field", "whole_number"]


class FormProblem(ValueError):
    """A field the dialog must ask the user to fix (shown inline; nothing was sent)."""


def whole_number(form: dict[str, Any], key: str, what: str, *, minimum: int = 0) -> int:
    raw = str(form.get(key) or "").strip()
    if not raw:
        raise FormProblem(f"Enter the {what}.")
    try:
        value = int(raw)
    except ValueError:
        raise FormProblem(f"The {what} must be a whole number.") from None
    if value < minimum:
        raise FormProblem(f"The {what} must be at least {minimum}.")
    if value > MAX_QUANTITY:
        raise FormProblem(f"The {what} must be at most {MAX_QUANTITY}.")
    return value


def text_field(form: dict[str, Any], key: str, *, limit: int = 200) -> str:
    return str(form.get(key) or "").strip()[:limit]
