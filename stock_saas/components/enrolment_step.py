"""The set-up step of /login: QR code and key, a code from the app, then recovery codes."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import labelled_field, problem_text
from stock_saas.components.secrets import one_time_secret
from stock_saas.state.enrolment import (
    ENROL_CODE_ID,
    ENROL_CODES_ID,
    ENROL_QR_ID,
    ENROL_SECRET_ID,
    EnrolmentState,
)

__all__ = ["enrolment_step"]


def _confirm_form() -> rx.Component:
    """Mounted when the step opens, so the code field takes the focus."""
    return rx.form(
        rx.vstack(
            labelled_field(
                "Code from the app",
                ENROL_CODE_ID,
                input_mode="numeric",
                auto_complete="one-time-code",
                auto_focus=True,
            ),
            problem_text(EnrolmentState.problem, "enrol-problem"),
            rx.button("Turn on and sign in", type="submit", id="enrol-confirm", width="100%"),
            spacing="2",
            width="100%",
        ),
        on_submit=EnrolmentState.confirm,
        reset_on_submit=True,
        width="100%",
    )


def enrolment_step() -> rx.Component:
    """Always in the page (hidden until the step opens) so the secret can land in it."""
    return rx.vstack(
        rx.heading("Set up two-factor sign-in", size="4", as_="h2"),
        rx.text(
            "Your organisation requires two-factor sign-in for admins and managers. "
            "Scan this with your authenticator app, or type the key, then enter the code "
            "it shows.",
            size="2",
            id="enrol-intro",
        ),
        rx.vstack(
            rx.image(id=ENROL_QR_ID, alt="QR code of your two-factor secret", width="180px"),
            rx.el.label("Key to type instead", html_for=ENROL_SECRET_ID, class_name="field-label"),
            rx.el.input(
                id=ENROL_SECRET_ID,
                read_only=True,
                auto_complete="off",
                class_name="rt-reset rt-TextFieldInput secret-value",
            ),
            display=rx.cond(EnrolmentState.finished, "none", "flex"),
            spacing="2",
            width="100%",
        ),
        rx.cond(EnrolmentState.active & ~EnrolmentState.finished, _confirm_form()),
        one_time_secret(
            ENROL_CODES_ID,
            "Recovery codes",
            shown=EnrolmentState.codes_shown,
            on_hide=EnrolmentState.hide_codes,
            hint="Shown once. Each signs in once instead of a code: keep them somewhere safe.",
        ),
        rx.cond(
            EnrolmentState.finished,
            rx.button(
                "Continue", id="enrol-continue", on_click=EnrolmentState.done, auto_focus=True
            ),
        ),
        display=rx.cond(EnrolmentState.active, "flex", "none"),
        spacing="3",
        width="100%",
    )
