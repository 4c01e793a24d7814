"""The dashboard's header strip: four figures, each a link to the list behind it, and a
small chart of the last 30 days' movements."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.charts import movements_chart
from stock_saas.state.overview import OverviewState

__all__ = ["overview_strip"]


def _figure(
    value: rx.Var[int],
    label: rx.Component | str,
    href: rx.Var[str],
    figure_id: str,
    linked: rx.Var[bool] | bool = True,
) -> rx.Component:
    """A figure and its label, a link to its list where the person may open that list."""
    body = rx.vstack(
        rx.text(value, size="6", weight="bold", id=figure_id),
        rx.text(label, size="1", color_scheme="gray", high_contrast=True),
        spacing="0",
    )
    link = rx.link(
        body,
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        class_name="overview-figure",
    )
    if linked is True:
        return link
    return rx.cond(linked, link, rx.box(body, class_name="overview-figure"))


def overview_strip() -> rx.Component:
    running_out = rx.text(
        "running out within ", OverviewState.running_out_days, " days", as_="span"
    )
    return rx.cond(
        OverviewState.ready,
        rx.flex(
            _figure(
                OverviewState.stock_levels,
                "stock levels",
                OverviewState.levels_href,
                "overview-levels",
            ),
            _figure(OverviewState.low_now, "low now", OverviewState.low_href, "overview-low"),
            # /reorder is for managers and /audit for admins: others read the figure.
            _figure(
                OverviewState.running_out,
                running_out,
                OverviewState.running_out_href,
                "overview-running-out",
                OverviewState.is_manager,
            ),
            _figure(
                OverviewState.movements_today,
                "movements today",
                OverviewState.movements_href,
                "overview-movements",
                OverviewState.is_admin,
            ),
            rx.box(movements_chart(OverviewState.series), min_width="10em", flex="1"),
            spacing="5",
            align="center",
            wrap="wrap",
            width="100%",
            id="overview-strip",
            padding="0.5em 0.75em",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-3)",
        ),
        rx.skeleton(height="4.5em", width="100%"),
    )
