"""The admins' section of /settings: require two-factor sign-in for admins and managers."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import labelled_checkbox, problem_text
from stock_saas.state.two_factor_policy import POLICY_FIELD, TwoFactorPolicyState

__all__ = ["two_factor_policy_form"]

HINT_ID = f"{POLICY_FIELD}-hint"


def two_factor_policy_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Organisation security", size="4", padding_top="1em"),
            labelled_checkbox(
                "Require two-factor sign-in for every admin and manager",
                POLICY_FIELD,
                default_checked=TwoFactorPolicyState.required,
                key=TwoFactorPolicyState.revision.to_string(),
                aria_describedby=HINT_ID,
            ),
            rx.text(
                "Turn on your own first. Admins and managers without it are signed out and "
                "set it up at their next sign-in; users are not affected.",
                size="1",
                class_name="field-hint",
                id=HINT_ID,
            ),
            problem_text(TwoFactorPolicyState.problem, "two-factor-policy-problem"),
            rx.button("Save security policy", type="submit", id="save-two-factor-policy"),
            spacing="2",
            width="100%",
        ),
        on_submit=TwoFactorPolicyState.save,
        reset_on_submit=False,
        width="100%",
    )
