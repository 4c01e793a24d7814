"""Managers' dialogs: add or rename a department, and manage categories."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import field_error, labelled_field
from stock_saas.components.modal import dialog_frame, form_message, modal
from stock_saas.state.catalog_admin import CatalogAdminState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.views import CategoryLine

__all__ = ["catalog_dialogs"]


def _department_dialog() -> rx.Component:
    return dialog_frame(
        rx.cond(CatalogAdminState.editing_id == 0, "Add department", "Rename department"),
        labelled_field(
            "Name",
            "department-name",
            name="name",
            default_value=CatalogAdminState.editing_name,
            auto_focus=True,
            max_length=200,
            error=field_error(CatalogAdminState, "department-name"),
        ),
        CatalogAdminState.save_department,
        "Save",
        open_var=CatalogAdminState.dialog == "department",
        on_open_change=CatalogAdminState.set_open,
        form_state=CatalogAdminState,
        dialog_id="department-dialog",
    )


def _category_row(category: CategoryLine) -> rx.Component:
    return rx.cond(
        CatalogAdminState.editing_id == category.id,
        rx.form(
            rx.hstack(
                rx.box(
                    labelled_field(
                        rx.Var.create("New name for ") + category.name,
                        "rename-category",
                        name="name",
                        default_value=category.name,
                        auto_focus=True,
                        max_length=200,
                        error=field_error(CatalogAdminState, "rename-category"),
                    ),
                    flex="1",
                ),
                rx.button("Save", type="submit", size="2"),
                rx.button(
                    "Cancel",
                    type="button",
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=CatalogAdminState.start_rename_category(0, ""),
                ),
                width="100%",
                align="end",
            ),
            on_submit=CatalogAdminState.rename_category,
            reset_on_submit=False,
        ),
        rx.hstack(
            rx.text(category.name, flex="1"),
            rx.badge(category.item_count, " items", variant="soft", color_scheme="gray"),
            rx.icon_button(
                rx.icon("pencil", size=12, aria_hidden="true"),
                size="1",
                variant="ghost",
                aria_label=rx.Var.create("Rename ") + category.name,
                on_click=CatalogAdminState.start_rename_category(category.id, category.name),
            ),
            rx.icon_button(
                rx.icon("trash-2", size=12, aria_hidden="true"),
                size="1",
                variant="ghost",
                color_scheme="red",
                aria_label=rx.Var.create("Delete ") + category.name,
                on_click=CatalogAdminState.delete_category(category.id),
            ),
            width="100%",
            align="center",
        ),
    )


def _categories_dialog() -> rx.Component:
    return modal(
        "Categories",
        rx.vstack(
            rx.cond(
                DashboardState.categories.length() == 0,
                rx.text("No categories yet. Add one below.", color_scheme="gray", size="2"),
                rx.vstack(rx.foreach(DashboardState.categories, _category_row), width="100%"),
            ),
            rx.form(
                rx.hstack(
                    rx.box(
                        labelled_field(
                            "New category",
                            "new_category",
                            name="name",
                            auto_focus=True,
                            max_length=200,
                            error=field_error(CatalogAdminState, "new_category"),
                        ),
                        flex="1",
                    ),
                    rx.button("Add", type="submit", id="add-category"),
                    width="100%",
                    align="end",
                ),
                on_submit=CatalogAdminState.add_category,
                reset_on_submit=True,
                width="100%",
            ),
            form_message(CatalogAdminState),
            rx.hstack(
                rx.dialog.close(rx.button("Done", variant="soft", color_scheme="gray")),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        open_var=CatalogAdminState.dialog == "categories",
        on_open_change=CatalogAdminState.set_open,
        dialog_id="categories-dialog",
    )


def catalog_dialogs() -> rx.Component:
    return rx.fragment(_department_dialog(), _categories_dialog())
