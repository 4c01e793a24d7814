"""The reports' charts (Reflex's built-in recharts): days left as bars on /reorder, the
dashboard's 30-day movements, an item's quantity over time in its history dialog.

Each chart sits in a ``role="figure"`` box named for what it shows; the same figures are in
a table or as text next to it, so nothing is only in the picture. Colours are Radix
steps 9-11 (AA against the panel).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

__all__ = ["days_left_chart", "movements_chart", "usage_chart"]

ISSUED = "var(--red-9)"
RETURNED = "var(--green-9)"
QUANTITY = "var(--accent-11)"
THRESHOLD = "var(--amber-11)"
AXIS = "var(--gray-11)"
TICK = {"fill": AXIS, "fontSize": 11}


def _figure(chart: rx.Component, *, chart_id: str, label: str | rx.Var[str]) -> rx.Component:
    return rx.box(chart, id=chart_id, role="figure", aria_label=label, width="100%")


def _movement_bars() -> list[rx.Component]:
    """Units issued and returned a day (``issued``, ``returned``), side by side."""
    return [
        rx.recharts.bar(data_key=key, name=key.capitalize(), fill=fill, is_animation_active=False)
        for key, fill in (("issued", ISSUED), ("returned", RETURNED))
    ]


def days_left_chart(rows: rx.Var[list[dict[str, Any]]]) -> rx.Component:
    """Horizontal bars: days until each level runs out (``name``, ``days_left``)."""
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", tick=TICK, stroke=AXIS),
        rx.recharts.y_axis(
            data_key="name", type_="category", width=160, tick=TICK, stroke=AXIS, interval=0
        ),
        rx.recharts.graphing_tooltip(),
        rx.recharts.bar(
            data_key="days_left", name="Days left", fill=QUANTITY, is_animation_active=False
        ),
        data=rows,
        layout="vertical",
        width="100%",
        height=rx.cond(rows.length() > 10, rows.length() * 22 + 40, 260),
    )
    return rx.cond(
        rows.length() > 0,
        _figure(chart, chart_id="days-left-chart", label="Days left until each runs out"),
    )


def movements_chart(days: rx.Var[list[dict[str, Any]]]) -> rx.Component:
    """A small chart of units issued and returned per day (``date``, ``issued``,
    ``returned``), 30 days."""
    chart = rx.recharts.bar_chart(
        rx.recharts.x_axis(data_key="date", hide=True),
        rx.recharts.graphing_tooltip(),
        *_movement_bars(),
        data=days,
        width="100%",
        height=64,
        bar_gap=0,
        margin={"top": 4, "right": 0, "bottom": 0, "left": 0},
    )
    return _figure(
        chart, chart_id="movements-chart", label="Units issued and returned a day, 30 days"
    )


def usage_chart(points: rx.Var[list[dict[str, Any]]], label: rx.Var[str]) -> rx.Component:
    """Quantity at the end of each day as a line, the threshold as a line, and units
    issued and returned as bars (``date``, ``quantity``, ``threshold``, ``issued``,
    ``returned``)."""
    chart = rx.recharts.composed_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="date", tick=TICK, stroke=AXIS, min_tick_gap=24),
        rx.recharts.y_axis(tick=TICK, stroke=AXIS, width=48, allow_decimals=False),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        *_movement_bars(),
        rx.recharts.line(
            data_key="quantity",
            name="On hand",
            stroke=QUANTITY,
            dot=False,
            type_="stepAfter",
            stroke_width=2,
            is_animation_active=False,
        ),
        rx.recharts.line(
            data_key="threshold",
            name="Threshold",
            stroke=THRESHOLD,
            dot=False,
            stroke_dasharray="6 4",
            is_animation_active=False,
        ),
        data=points,
        width="100%",
        height=220,
    )
    return _figure(chart, chart_id="usage-chart", label=label)
