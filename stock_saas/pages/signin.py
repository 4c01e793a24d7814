"""/login and /register."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.enrolment_step import enrolment_step
from stock_saas.components.fields import labelled_field, labelled_select, submit_button
from stock_saas.components.layout import public_shell
from stock_saas.components.prefetch import prefetch_page
from stock_saas.state.enrolment import EnrolmentState
from stock_saas.state.signin import LoginState, RegisterState

__all__ = ["login_page", "register_page"]


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
        rx.cond(
            ~EnrolmentState.active,
            rx.form(
                rx.vstack(
                    labelled_field(
                        "Username", "username", auto_complete="username", auto_focus=True
                    ),
                    labelled_field(
                        "Password", "password", type="password", auto_complete="current-password"
                    ),
                    rx.cond(
                        LoginState.needs_code,
                        labelled_field(
                            "Two-factor code",
                            "otp",
                            auto_complete="one-time-code",
                            input_mode="numeric",
                            auto_focus=True,
                            hint="The 6-digit code from your authenticator app, "
                            "or a recovery code.",
                        ),
                    ),
                    _inline_error(LoginState.error, "login-error"),
                    submit_button("Sign in", id="login", busy=LoginState.busy, width="100%"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=LoginState.submit,
                method="post",
                width="100%",
            ),
        ),
        enrolment_step(),
        rx.text(
            "New here? ",
            rx.link("Create an organisation or join with an invite", href="/register"),
            size="2",
        ),
        prefetch_page("/"),  # the dashboard's modules, there before the sign-in's redirect
    )


def _organisation_or_invite() -> rx.Component:
    return rx.cond(
        RegisterState.join_with_invite,
        rx.vstack(
            labelled_field(
                "Invite code",
                "invite_code",
                on_blur=RegisterState.check_invite,
                auto_complete="off",
                hint="The departments of that organisation appear below.",
            ),
            rx.cond(
                RegisterState.invite_checked,
                labelled_select(
                    "Department",
                    "department_id",
                    rx.el.option("No department", value=""),
                    rx.foreach(
                        RegisterState.invite_departments,
                        lambda d: rx.el.option(d["name"], value=d["id"]),
                    ),
                ),
            ),
            width="100%",
            spacing="3",
        ),
        labelled_field("Organisation name", "organisation", auto_complete="organization"),
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
            aria_label="How you join",
        ),
        rx.form(
            rx.vstack(
                _organisation_or_invite(),
                labelled_field("Username", "username", auto_complete="username"),
                labelled_field(
                    "E-mail", "email", type="email", optional=True, auto_complete="email"
                ),
                labelled_field(
                    "Password",
                    "password",
                    type="password",
                    auto_complete="new-password",
                    hint="8 characters or more.",
                ),
                labelled_field(
                    "Password again",
                    "password_again",
                    type="password",
                    auto_complete="new-password",
                ),
                _inline_error(RegisterState.error, "register-error"),
                submit_button(
                    "Create account", id="register", busy=RegisterState.busy, width="100%"
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=RegisterState.submit,
            reset_on_submit=False,
            method="post",
            width="100%",
        ),
        rx.text("Have an account? ", rx.link("Sign in", href="/login"), size="2"),
    )
