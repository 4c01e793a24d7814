"""The frame of every signed-in page: a top bar with navigation and the user menu."""

from __future__ import annotations

import reflex as rx

from stock_saas.state.auth import AuthState

__all__ = ["app_shell", "empty_state", "nav_link", "public_shell"]


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=16),
            rx.text(label, display=["none", "inline"]),  # icons only on phones
            spacing="1",
            align="center",
        ),
        href=href,
        aria_label=label,
        title=label,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        size="2",
    )


def _user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user", size=16, aria_hidden="true"),
                rx.text(AuthState.username, id="signed-in-user"),
                rx.badge(AuthState.role, variant="soft", id="signed-in-role"),
                variant="ghost",
                aria_label="Account menu",
            )
        ),
        rx.menu.content(
            rx.menu.item("My settings", on_click=rx.redirect("/settings")),
            rx.menu.separator(),
            rx.menu.item("Sign out", on_click=AuthState.sign_out, id="sign-out", color="red"),
        ),
    )


def app_shell(*children: rx.Component) -> rx.Component:
    """Top bar plus page body; renders nothing of the body until the session is verified."""
    return rx.box(
        rx.el.header(
            rx.flex(
                rx.hstack(
                    rx.icon("boxes", size=22, aria_hidden="true"),
                    rx.text("Stock-SaaS", size="4", weight="bold"),
                    align="center",
                    spacing="2",
                ),
                rx.el.nav(
                    nav_link("Dashboard", "/", "layout-dashboard"),
                    nav_link("Counts", "/counts", "clipboard-list"),
                    rx.cond(AuthState.is_manager, nav_link("Reorder", "/reorder", "shopping-cart")),
                    rx.cond(AuthState.is_manager, nav_link("Import", "/import", "upload")),
                    rx.cond(AuthState.is_admin, nav_link("Users", "/users", "users")),
                    rx.cond(AuthState.is_admin, nav_link("Audit log", "/audit", "scroll-text")),
                    rx.cond(AuthState.is_admin, nav_link("Webhooks", "/webhooks", "webhook")),
                    rx.cond(
                        AuthState.is_admin,
                        nav_link("API keys", "/settings/integrations", "key-round"),
                    ),
                    nav_link("Settings", "/settings", "settings"),
                    aria_label="Main",
                    class_name="main-nav",
                ),
                rx.spacer(),
                _user_menu(),
                align="center",
                spacing="4",
                wrap="wrap",
                padding_x="1em",
                padding_y="0.6em",
                border_bottom="1px solid var(--gray-a5)",
                background="var(--color-panel-solid)",
            ),
            position="sticky",
            top="0",
            z_index="10",
        ),
        rx.el.main(
            rx.cond(
                AuthState.signed_in,
                rx.box(*children, padding=["0.5em", "1em", "1.25em"]),
                rx.center(rx.spinner(size="3"), padding="4em", role="status", aria_label="Loading"),
            ),
            id="main",
            tab_index=-1,
        ),
        width="100%",
        min_height="100vh",
    )


def public_shell(*children: rx.Component) -> rx.Component:
    """Centered card for the sign-in and sign-up pages."""
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.hstack(
                        rx.icon("boxes", size=26, aria_hidden="true"),
                        rx.text("Stock-SaaS", size="6", weight="bold"),
                        align="center",
                        spacing="2",
                    ),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                size="3",
                width="100%",
                max_width="26em",
            ),
            padding="1em",
            min_height="100vh",
            background="var(--gray-2)",
        )
    )


def empty_state(icon: str, title: str, hint: str, *actions: rx.Component) -> rx.Component:
    """What a list shows when it has nothing yet, and what to do next."""
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=36, color="var(--gray-11)", aria_hidden="true"),
            rx.heading(title, size="4", as_="h2"),
            rx.text(hint, color_scheme="gray", text_align="center"),
            rx.hstack(*actions, spacing="2"),
            align="center",
            spacing="2",
            max_width="28em",
        ),
        padding="3em 1em",
        width="100%",
    )
