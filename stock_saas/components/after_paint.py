"""Components mounted just after the page's first paint (``after_paint.jsx``): a page's closed
dialogs and phone-only controls, which show nothing on arrival but made the first render,
and so the first paint of the rows, wait for them."""

from __future__ import annotations

import reflex as rx

__all__ = ["after_first_paint"]


class AfterFirstPaint(rx.Component):
    library = "$/public/" + rx.asset("after_paint.jsx", shared=True)
    tag = "AfterFirstPaint"


def after_first_paint(*children: rx.Component) -> rx.Component:
    """``children``, mounted in the task after the page is first painted."""
    return AfterFirstPaint.create(*children)
