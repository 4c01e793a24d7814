"""/settings/integrations (admins): API keys for other systems, made, listed and revoked."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import (
    field_error,
    labelled_checkbox,
    labelled_field,
    labelled_number,
    labelled_select,
)
from stock_saas.components.guards import admin_only
from stock_saas.components.modal import page_form, warning_notice
from stock_saas.components.secrets import one_time_secret
from stock_saas.models import ApiKeyStatus
from stock_saas.state.api_keys import KEY_FIELD_ID, ROLES, ApiKeysState, KeyLine

__all__ = ["integrations_page"]


def _status(key: KeyLine) -> rx.Component:
    colour = rx.cond(
        key.status == "active", "green", rx.cond(key.status == "suspended", "red", "gray")
    )
    return rx.badge(key.status, color_scheme=colour, variant="soft", class_name="key-status")


def _actions(key: KeyLine) -> rx.Component:
    return rx.cond(
        key.status == ApiKeyStatus.REVOKED.value,
        rx.fragment(),
        rx.button(
            "Revoke",
            size="1",
            variant="soft",
            color_scheme="red",
            aria_label="Revoke key " + key.name,
            on_click=ApiKeysState.revoke(key.id),
        ),
    )


COLUMNS = [
    Column("Name", lambda k: k.name, sort_key="name", row_header=True),
    Column("Prefix", lambda k: rx.code(k.prefix)),
    Column("Role", lambda k: rx.cond(k.read_only, k.role + " (read-only)", k.role)),
    Column("Status", _status),
    Column("Made by", lambda k: k.created_by, wide_only=True),
    Column("Created", lambda k: k.created_at, sort_key="created", wide_only=True),
    Column("Expires", lambda k: k.expires_at),
    Column("Last used", lambda k: k.last_used_at),
]


def _add_form() -> rx.Component:
    return page_form(
        ApiKeysState,
        labelled_field(
            "Key name",
            "key-name",
            name="name",
            max_length=60,
            hint="What will use it, e.g. ERP sync; audit rows say key:<name>.",
            error=field_error(ApiKeysState, "key-name"),
        ),
        labelled_select(
            "Role",
            "key-role",
            *[rx.el.option(role, value=role) for role in ROLES],
            name="role",
            hint="At most your own role.",
            error=field_error(ApiKeysState, "key-role"),
        ),
        labelled_checkbox(
            "Read-only (refused on anything that changes data)",
            "key-read-only",
            name="read_only",
        ),
        labelled_number(
            "Expires after (days, empty for never)",
            "key-expires",
            name="expires_in_days",
            minimum=1,
            error=field_error(ApiKeysState, "key-expires"),
        ),
        on_submit=ApiKeysState.create_key,
        submit="Make key",
        submit_id="make-key",
        max_width="32em",
    )


@admin_only
def integrations_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Integrations: API keys", size="5"),
        rx.text(
            "Other systems call the REST API with a key of their own, sent as "
            "Authorization: Bearer <key>. A key acts for the organisation with its role "
            "(never above yours), can be read-only, and stops working at once when revoked "
            "or while the admin who made it is deactivated.",
            size="2",
            color_scheme="gray",
        ),
        warning_notice(
            ApiKeysState.suspended_count > 0,
            "Some keys are suspended because the admin who made them is deactivated; "
            "make replacements and revoke them.",
            "suspended-notice",
        ),
        _add_form(),
        one_time_secret(
            KEY_FIELD_ID,
            "The new API key",
            shown=ApiKeysState.key_shown,
            on_hide=ApiKeysState.hide_key,
            hint="Shown once: store it in the other system's secret store now.",
        ),
        data_table(
            ApiKeysState.key_lines,
            COLUMNS,
            table_id="api-keys",
            label="API keys",
            state=ApiKeysState,
            loading=ApiKeysState.loading,
            empty=rx.text("No API keys yet.", size="2", color_scheme="gray"),
            row_actions=_actions,
            row_props=lambda k: {"class_name": "key-row"},
            noun="keys",
            focusable_rows=False,
        ),
        width="100%",
        spacing="3",
    )
