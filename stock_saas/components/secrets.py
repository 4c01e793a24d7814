"""A one-time secret (invite code, webhook signing secret, API key, TOTP secret) shown once.

The secret never lives in a Reflex state: the event that creates it returns
``rx.set_value(SECRET_ID, secret)``, which fills this read-only field in the browser only,
and the state keeps just a flag saying the panel is visible. The field is always in the
page (hidden until then) so the value has somewhere to land; "Hide" empties it, and leaving
the page takes it away with the page.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

__all__ = ["one_time_secret"]


def one_time_secret(
    secret_id: str, label: str, *, shown: rx.Var[bool], on_hide: Any, hint: str
) -> rx.Component:
    """The panel for the secret written into ``#secret_id`` (see the module docstring)."""
    copy = rx.call_script(
        f"navigator.clipboard.writeText(document.getElementById('{secret_id}').value)"
    )
    return rx.callout.root(
        rx.callout.icon(rx.icon("key-round", aria_hidden="true")),
        rx.vstack(
            rx.el.label(label, html_for=secret_id, class_name="field-label"),
            rx.hstack(
                rx.el.input(
                    id=secret_id,
                    read_only=True,
                    class_name="rt-reset rt-TextFieldInput secret-value",
                    aria_describedby=f"{secret_id}-hint",
                    auto_complete="off",
                    spell_check=False,
                ),
                rx.button("Copy", type="button", size="1", variant="soft", on_click=copy),
                rx.button(
                    "Hide",
                    type="button",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=[rx.set_value(secret_id, ""), on_hide],
                ),
                width="100%",
                align="center",
            ),
            rx.text(hint, size="1", id=f"{secret_id}-hint"),
            spacing="1",
            width="100%",
        ),
        color_scheme="green",
        width="100%",
        display=rx.cond(shown, "flex", "none"),
        class_name="one-time-secret",
    )
