"""Icons drawn by the stylesheet (``.css-icon-*`` in ``assets/stock_saas.css``) for the ones a
page repeats on every row: a page of 25 rows and a sidebar of 20 departments drew 45 icon
components (lucide's SVG built element by element at every render) for one chevron and one
ellipsis. A CSS mask of the same lucide drawing, in the text's colour, costs the page one
empty span each."""

from __future__ import annotations

import reflex as rx

__all__ = ["css_icon"]

DRAWN = ("chevron-down", "ellipsis-vertical")


def css_icon(name: str) -> rx.Component:
    """The lucide icon ``name`` (one of :data:`DRAWN`), 12 px, hidden from assistive tech."""
    if name not in DRAWN:
        raise ValueError(f"no CSS drawing of {name!r}; use rx.icon")
    return rx.el.span(class_name=f"css-icon css-icon-{name}", aria_hidden="true")
