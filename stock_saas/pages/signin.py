"""/login and /register."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.layout import public_shell
from stock_saas.state.signin import LoginState, RegisterState

__all__ = ["login_page", "register_page"]


def _field(label: str, name: str, **props: object) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, width="100%", **props),
        spacing="1",
        width="100%",
    )


def _inline_error(message: rx.Var[str], id: str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", id=id),
    )


def login_page() -> rx.Component:
    return public_shell(
        rx.heading("Sign in", size="5"),
        rx.cond(
            LoginState.notice != "",
            rx.callout(LoginState.notice, icon="info", color_scheme="green", id="login-notice"),
        ),
        rx.form(
            rx.vstack(
                _field("Username", "username", auto_complete="username", auto_focus=True),
                _field("Password", "password", type="password", auto_complete="current-password"),
                _inline_error(LoginState.error, "login-error"),
                rx.button(
                    "Sign in", type="submit", width="100%", loading=LoginState.busy, id="login"
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=LoginState.submit,
            width="100%",
        ),
        rx.text(
            "New here? ",
            rx.link("Create an organisation or join with an invite", href="/register"),
            size="2",
        ),
    )


def _organisation_or_invite() -> rx.Component:
    return rx.cond(
        RegisterState.join_with_invite,
        rx.vstack(
            rx.vstack(
                rx.text("Invite code", as_="label", html_for="invite_code", size="2"),
                rx.input(
                    name="invite_code",
                    id="invite_code",
                    width="100%",
                    on_blur=RegisterState.check_invite,
                ),
                rx.text("The departments of that organisation appear below.", size="1"),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                RegisterState.invite_checked,
                rx.vstack(
                    rx.text("Department", as_="label", size="2"),
                    rx.el.select(
                        rx.el.option("No department", value=""),
                        rx.foreach(
                            RegisterState.invite_departments,
                            lambda d: rx.el.option(d["name"], value=d["id"]),
                        ),
                        name="department_id",
                        id="department_id",
                        class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
                        style={"width": "100%"},
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            width="100%",
            spacing="3",
        ),
        _field("Organisation name", "organisation"),
    )


def register_page() -> rx.Component:
    return public_shell(
        rx.heading("Create your account", size="5"),
        rx.segmented_control.root(
            rx.segmented_control.item("New organisation", value="new"),
            rx.segmented_control.item("Join with invite", value="invite"),
            value=rx.cond(RegisterState.join_with_invite, "invite", "new"),
            on_change=lambda v: RegisterState.set_join_with_invite(v == "invite"),
            width="100%",
            id="register-mode",
        ),
        rx.form(
            rx.vstack(
                _organisation_or_invite(),
                _field("Username", "username", auto_complete="username"),
                _field("E-mail (optional)", "email", type="email"),
                _field("Password (8+ characters)", "password", type="password"),
                _field("Password again", "password_again", type="password"),
                _inline_error(RegisterState.error, "register-error"),
                rx.button(
                    "Create account",
                    type="submit",
                    width="100%",
                    loading=RegisterState.busy,
                    id="register",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=RegisterState.submit,
            reset_on_submit=False,
            width="100%",
        ),
        rx.text("Have an account? ", rx.link("Sign in", href="/login"), size="2"),
    )
