"""The departments sidebar: All, then each department with its item count and low badge."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.css_icon import css_icon
from stock_saas.components.fields import labelled_select
from stock_saas.components.lazy_menu import lazy_menu
from stock_saas.components.modal import MENU_OPENS_DIALOGS
from stock_saas.state.catalog_admin import CatalogAdminState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.views import DepartmentLine

__all__ = ["department_picker", "departments_sidebar"]


# The entries are plain elements with the classes Radix Themes gives its button, text and
# badges (the same markup and look as rx.button / rx.badge, see components/data_table):
# twenty departments are a fifth of the dashboard's first render otherwise.
_ENTRY = "rt-reset rt-BaseButton rt-r-size-2 rt-Button department-button"
_BADGE = "rt-reset rt-Badge rt-r-size-1 rt-variant-soft"
_MENU_BUTTON = "rt-reset rt-BaseButton rt-r-size-1 rt-variant-ghost rt-IconButton"


def _badge(*content: rx.Var | str, color: str, title: str) -> rx.Component:
    return rx.el.span(
        *content, class_name=_BADGE, title=title, custom_attrs={"data-accent-color": color}
    )


def _counts(items: rx.Var[int], low: rx.Var[int]) -> rx.Component:
    return rx.el.div(
        _badge(items, color="gray", title="stocked items"),
        rx.cond(low > 0, _badge(low, " low", color="red", title="below threshold")),
        class_name="rt-Flex rt-r-fd-row rt-r-ai-start rt-r-gap-1 rx-Stack",
    )


def _department_button(
    name: rx.Component,
    counts: rx.Component,
    *,
    selected: rx.Var[bool],
    entry: bool = False,
    **props: object,
) -> rx.Component:
    """A department's entry (``entry``), or "All departments": soft and high-contrast when
    it is the one shown, else ghost."""
    variant = rx.cond(selected, " rt-variant-soft rt-high-contrast", " rt-variant-ghost")
    classes = _ENTRY + (" department-entry" if entry else "")
    return rx.el.button(
        name,
        rx.el.div(class_name="rt-Flex department-fill"),
        counts,
        type="button",
        class_name=rx.Var.create(classes) + variant,
        custom_attrs={"data-accent-color": "gray"},
        **props,
    )


def _menu_button(dept: DepartmentLine, custom_attrs: dict[str, str] | None = None) -> rx.Component:
    """The entry's menu button: rx.icon_button's markup as one plain element."""
    return rx.el.button(
        css_icon("ellipsis-vertical"),
        type="button",
        class_name=_MENU_BUTTON + " department-menu",
        aria_label=rx.Var.create("Actions for ") + dept.name,
        custom_attrs={"data-accent-color": "", **(custom_attrs or {})},
    )


def _entry(dept: DepartmentLine) -> rx.Component:
    return rx.el.div(
        _department_button(
            rx.el.p(dept.name, class_name="rt-Text rt-truncate"),
            _counts(dept.item_count, dept.low_count),
            selected=DashboardState.department_id == dept.id,
            on_click=DashboardState.choose_department(dept.id),
            entry=True,
        ),
        rx.cond(
            DashboardState.is_manager,
            lazy_menu(
                lambda **attrs: _menu_button(dept, **attrs),
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
        class_name="rt-Flex rt-r-fd-row rt-r-ai-center rt-r-gap-1 rx-Stack department-line",
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
        _department_button(
            rx.el.p("All departments", class_name="rt-Text"),
            _counts(DashboardState.total_items, DashboardState.total_low),
            selected=DashboardState.department_id == 0,
            on_click=DashboardState.choose_department(0),
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
