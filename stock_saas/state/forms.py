"""Reading form fields (whole numbers, optional text) and the one place a form's problem
is kept: :class:`FormState`, the mixin every state with a form uses.

A problem names the control it is about by its id (``FormProblem("…", field="quantity")``;
``whole_number`` uses the form key, so give number inputs id = name), so the
page shows the message under that field, ties it to the control with
``aria-describedby`` (``components.fields``) and moves the focus there; a problem about
no field in particular shows above the buttons.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services.core import MAX_QUANTITY

__all__ = ["FormProblem", "FormState", "text_field", "whole_number"]


class FormProblem(ValueError):
    """A field the form must ask the user to fix (shown inline; nothing was sent)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def whole_number(form: dict[str, Any], key: str, what: str, *, minimum: int = 0) -> int:
    raw = str(form.get(key) or "").strip()
    if not raw:
        raise FormProblem(f"Enter the {what}.", field=key)
    try:
        value = int(raw)
    except ValueError:
        raise FormProblem(f"The {what} must be a whole number.", field=key) from None
    if value < minimum:
        raise FormProblem(f"The {what} must be at least {minimum}.", field=key)
    if value > MAX_QUANTITY:
        raise FormProblem(f"The {what} must be at most {MAX_QUANTITY}.", field=key)
    return value


def text_field(form: dict[str, Any], key: str, *, limit: int = 200) -> str:
    return str(form.get(key) or "").strip()[:limit]


class FormState(rx.State, mixin=True):
    """The message of the form on this state, and the id of the control it is about."""

    form_error: str = ""
    error_field: str = ""

    def _problem(self, problem: FormProblem | str, *, field: str = "") -> Any:
        """Show ``problem`` (inline, under its field) and move the focus to that field."""
        self.form_error = str(problem)
        self.error_field = problem.field if isinstance(problem, FormProblem) else field
        return rx.set_focus(self.error_field) if self.error_field else None

    def _clear_problem(self) -> None:
        self.form_error = self.error_field = ""
