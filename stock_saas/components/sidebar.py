"""The departments sidebar: All, then each department with its item count and low badge."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import labelled_select
from stock_saas.components.lazy_menu import lazy_menu
from stock_saas.components.modal import MENU_OPENS_DIALOGS
from stock_saas.state.catalog_admin import CatalogAdminState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.views import DepartmentLine

__all__ = ["department_picker", "departments_sidebar"]


def _counts(items: rx.Var[int], low: rx.Var[int]) -> rx.Component:
    return rx.hstack(
        rx.badge(items, variant="soft", color_scheme="gray", title="stocked items"),
        rx.cond(low > 0, rx.badge(low, " low", color_scheme="red", title="below threshold")),
        spacing="1",
    )


def _entry(dept: DepartmentLine) -> rx.Component:
    selected = DashboardState.department_id == dept.id
    return rx.hstack(
        rx.button(
            rx.text(dept.name, truncate=True),
            rx.spacer(),
            _counts(dept.item_count, dept.low_count),
            variant=rx.cond(selected, "soft", "ghost"),
            color_scheme="gray",
            high_contrast=selected,
            on_click=DashboardState.choose_department(dept.id),
            width="100%",
            justify="start",
            class_name="department-entry",
        ),
        rx.cond(
            DashboardState.is_manager,
            lazy_menu(
                lambda **attrs: rx.icon_button(
                    rx.icon("ellipsis-vertical", size=14),
                    variant="ghost",
                    size="1",
                    aria_label=rx.Var.create("Actions for ") + dept.name,
                    **attrs,
                ),
                rx.menu.content(
                    rx.menu.item(
                        "Rename", on_click=CatalogAdminState.start_department(dept.id, dept.name)
                    ),
                    rx.cond(
                        dept.is_default,
                        rx.fragment(),
                        rx.menu.item(
                            "Delete",
                            color="red",
                            on_click=CatalogAdminState.delete_department(dept.id),
                        ),
                    ),
                    custom_attrs=dict(MENU_OPENS_DIALOGS),
                ),
            ),
        ),
        width="100%",
        spacing="1",
        align="center",
    )


def departments_sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Departments", size="3"),
            rx.spacer(),
            rx.cond(
                DashboardState.is_manager,
                rx.icon_button(
                    rx.icon("plus", size=14),
                    size="1",
                    variant="soft",
                    on_click=CatalogAdminState.start_department(0, ""),
                    aria_label="Add department",
                    id="add-department",
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.button(
            rx.text("All departments"),
            rx.spacer(),
            _counts(DashboardState.total_items, DashboardState.total_low),
            variant=rx.cond(DashboardState.department_id == 0, "soft", "ghost"),
            color_scheme="gray",
            high_contrast=DashboardState.department_id == 0,
            on_click=DashboardState.choose_department(0),
            width="100%",
            justify="start",
        ),
        rx.foreach(DashboardState.departments, _entry),
        spacing="1",
        width="100%",
        id="departments",
    )


def department_picker() -> rx.Component:
    """The sidebar's choice as one labelled select, for phones."""
    return labelled_select(
        "Department",
        "department-picker",
        rx.el.option("All departments", value="0"),
        rx.foreach(
            DashboardState.departments,
            lambda d: rx.el.option(d.name, value=d.id.to_string()),
        ),
        name="",
        value=DashboardState.department_id.to_string(),
        on_change=DashboardState.choose_department,
    )
