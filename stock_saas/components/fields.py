"""Form fields with a real ``<label for>``: the one helper every form uses.

``labelled_field`` renders ``<label for=ID>`` + the control with ``id=ID`` (so clicking
the label focuses the control and a screen reader announces its name), an optional hint
and an inline error, both tied to the control with ``aria-describedby``; the control
says ``aria-invalid`` while its error shows. ``rx.el.label(..., html_for=...)`` is the
construct that renders ``for`` in Reflex 0.10 (``rx.text(as_="label")`` does not).

The variants build the control themselves so the id, name and aria attributes are
always right: ``labelled_field`` (text, e-mail, password …), ``labelled_number``
(whole numbers), ``labelled_select`` (a native ``<select>``: part of the form's data and
good with keyboards), ``labelled_checkbox``. The error of a field comes from a
``FormState`` (``field_error(State, "quantity")``) or any ``Var[str]``.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

__all__ = [
    "field_error",
    "labelled_checkbox",
    "labelled_field",
    "labelled_number",
    "labelled_select",
    "native_select",
    "problem_text",
    "submit_button",
]

TextOrVar = str | rx.Var[str]
SELECT_CLASSES = "rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface"


def field_error(form_state: Any, field_id: str) -> rx.Var[str]:
    """The message a ``FormState`` shows under the control ``field_id`` ('' when none)."""
    return rx.cond(form_state.error_field == field_id, form_state.form_error, "")


def _describers(field_id: str, hint: TextOrVar, error: TextOrVar) -> dict[str, Any]:
    """aria-describedby / aria-invalid for the control (only ids that are on the page)."""
    hint_id = f"{field_id}-hint" if isinstance(hint, rx.Var) or hint else ""
    if isinstance(error, str) and not error:
        return {"aria_describedby": hint_id} if hint_id else {}
    error_id = f"{field_id}-error"
    both = f"{error_id} {hint_id}".strip()
    return {
        "aria_describedby": rx.cond(error != "", both, hint_id or None),
        "aria_invalid": rx.cond(error != "", "true", "false"),
    }


def _frame(
    label: TextOrVar | rx.Component,
    field_id: str,
    control: rx.Component,
    hint: TextOrVar,
    error: TextOrVar,
    *,
    optional: bool = False,
) -> rx.Component:
    words: list[Any] = [label]
    if optional:
        words.append(rx.el.span(" (optional)", class_name="field-optional"))
    parts: list[rx.Component] = [
        rx.el.label(*words, html_for=field_id, class_name="field-label"),
        control,
    ]
    if isinstance(hint, rx.Var) or hint:
        parts.append(rx.text(hint, id=f"{field_id}-hint", size="1", class_name="field-hint"))
    if isinstance(error, rx.Var) or error:
        parts.append(problem_text(error, f"{field_id}-error"))
    return rx.vstack(*parts, spacing="1", width="100%", class_name="field")


def problem_text(message: Any, element_id: str) -> rx.Component:
    """A form's problem in red, announced (role=alert), shown while ``message`` is not empty."""
    return rx.cond(
        message != "",
        rx.text(
            message, id=element_id, role="alert", size="2", class_name="form-error field-error"
        ),
    )


def labelled_field(
    label: TextOrVar | rx.Component,
    field_id: str,
    *,
    name: str | None = None,
    hint: TextOrVar = "",
    error: TextOrVar = "",
    optional: bool = False,
    **input_props: Any,
) -> rx.Component:
    """A labelled text input (``type=`` email/password/url … via ``input_props``).

    ``name`` (the form key) defaults to ``field_id``.
    """
    input_props.setdefault("width", "100%")
    control = rx.input(
        id=field_id,
        name=name or field_id,
        **_describers(field_id, hint, error),
        **input_props,
    )
    return _frame(label, field_id, control, hint, error, optional=optional)


SELECT_ON_FOCUS: rx.Var[Any] = rx.Var("((e) => e.target.select())")


def labelled_number(
    label: TextOrVar | rx.Component,
    field_id: str,
    *,
    minimum: int = 0,
    default_value: Any = "",
    name: str | None = None,
    hint: TextOrVar = "",
    error: TextOrVar = "",
    **input_props: Any,
) -> rx.Component:
    """A labelled whole-number input (numeric keypad on phones; the state checks it).
    Focusing it selects its number, so typing replaces a prefilled one."""
    attrs = {"onFocus": SELECT_ON_FOCUS, **input_props.pop("custom_attrs", {})}
    return labelled_field(
        label,
        field_id,
        name=name,
        hint=hint,
        error=error,
        type="number",
        min=minimum,
        step=1,
        input_mode="numeric",
        default_value=default_value,
        custom_attrs=attrs,
        **input_props,
    )


def native_select(
    field_id: str, *options: rx.Component, name: str | None = None, **props: Any
) -> rx.Component:
    """A plain ``<select>`` styled like Radix's (``name`` defaults to ``field_id``).

    Outside a form (``on_change`` only) pass ``name=""``; it still needs a label
    (``labelled_select``, or ``aria_label`` where a visible label would be noise, as in a
    table cell whose column header names it).
    """
    width = props.pop("width", "100%")
    named = {"name": field_id if name is None else name} if name != "" else {}
    if field_id:
        props["id"] = field_id
    return rx.el.select(
        *options,
        class_name=SELECT_CLASSES,
        style={"width": width},
        **named,
        **props,
    )


def labelled_select(
    label: TextOrVar | rx.Component,
    field_id: str,
    *options: rx.Component,
    name: str | None = None,
    hint: TextOrVar = "",
    error: TextOrVar = "",
    **props: Any,
) -> rx.Component:
    """A labelled native ``<select>`` of ``options`` (``rx.el.option`` / ``rx.foreach``)."""
    control = native_select(
        field_id, *options, name=name, **_describers(field_id, hint, error), **props
    )
    return _frame(label, field_id, control, hint, error)


def labelled_checkbox(
    label: TextOrVar | rx.Component,
    field_id: str,
    *,
    name: str | None = None,
    **props: Any,
) -> rx.Component:
    """A native checkbox with its label after it (clicking the text toggles it)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=field_id, name=name or field_id, **props),
        rx.el.span(label),
        html_for=field_id,
        class_name="field-checkbox",
    )


def submit_button(
    label: str, *, id: str, busy: rx.Var[bool] | bool = False, **props: Any
) -> rx.Component:
    """A form's submit button, disabled until the page has hydrated.

    A pre-rendered page shows its form before React attaches the submit handler; a click
    in that moment would submit it natively (a GET of the page with every field, a
    password too, in the query string) and do nothing the person asked for.
    """
    return rx.button(
        label,
        type="submit",
        loading=busy,
        disabled=~rx.State.is_hydrated,
        id=id,
        **props,
    )
