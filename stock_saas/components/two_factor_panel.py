"""The two-factor sign-in section of /settings: turn on (QR code, confirm), turn off."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import labelled_field, problem_text
from stock_saas.components.secrets import one_time_secret
from stock_saas.state.two_factor import CODES_ID, QR_ID, SECRET_ID, TwoFactorState

__all__ = ["two_factor_panel"]


def _problem() -> rx.Component:
    return problem_text(TwoFactorState.problem, "totp-problem")


def _set_up() -> rx.Component:
    """Always in the page (hidden until started) so the secret has somewhere to land."""
    return rx.vstack(
        rx.text("Scan this with your authenticator app, or type the key below.", size="2"),
        rx.image(id=QR_ID, alt="QR code of your two-factor secret", width="180px"),
        rx.el.label("Key to type instead", html_for=SECRET_ID, class_name="field-label"),
        rx.el.input(
            id=SECRET_ID,
            read_only=True,
            auto_complete="off",
            class_name="rt-reset rt-TextFieldInput secret-value",
        ),
        rx.form(
            rx.vstack(
                labelled_field(
                    "Code from the app",
                    "totp-code",
                    input_mode="numeric",
                    auto_complete="one-time-code",
                ),
                _problem(),
                rx.button("Turn on", type="submit", id="totp-confirm"),
                spacing="2",
            ),
            on_submit=TwoFactorState.confirm,
            reset_on_submit=True,
        ),
        display=rx.cond(TwoFactorState.setting_up, "flex", "none"),
        spacing="2",
    )


def two_factor_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Two-factor sign-in", size="4", padding_top="1em"),
        rx.cond(
            TwoFactorState.enabled,
            rx.vstack(
                rx.text(
                    "On: signing in asks for a code from your app. Recovery codes left: ",
                    TwoFactorState.codes_left,
                    size="2",
                    id="totp-status",
                ),
                rx.form(
                    rx.hstack(
                        labelled_field("Code or recovery code", "totp-off-code"),
                        rx.button("Turn off", type="submit", color_scheme="red", id="totp-off"),
                        align="end",
                    ),
                    on_submit=TwoFactorState.disable,
                    reset_on_submit=True,
                ),
                _problem(),
            ),
            rx.vstack(
                rx.text("Off: your password alone signs you in.", size="2", id="totp-status"),
                rx.cond(
                    ~TwoFactorState.setting_up,
                    rx.button(
                        "Set up two-factor sign-in", on_click=TwoFactorState.start, id="totp-start"
                    ),
                ),
            ),
        ),
        _set_up(),
        one_time_secret(
            CODES_ID,
            "Recovery codes",
            shown=TwoFactorState.codes_shown,
            on_hide=TwoFactorState.hide_codes,
            hint="Shown once. Each signs in once instead of a code: keep them somewhere safe.",
        ),
        spacing="2",
        width="100%",
    )
