"""/webhooks (admins): outbound webhook endpoints, the add form, and the delivery log."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import field_error, labelled_checkbox, labelled_field
from stock_saas.components.guards import admin_only
from stock_saas.components.modal import page_form, warning_notice
from stock_saas.components.secrets import one_time_secret
from stock_saas.services.events import EVENT_TYPES
from stock_saas.state.webhooks import SECRET_ID, EndpointLine, WebhooksState

__all__ = ["webhooks_page"]


def _status(endpoint: EndpointLine) -> rx.Component:
    return rx.cond(
        endpoint.active,
        rx.badge("active", color_scheme="green", variant="soft"),
        rx.tooltip(
            rx.badge("paused", color_scheme="red", variant="soft", class_name="paused"),
            content=endpoint.paused_reason,
        ),
    )


def _endpoint_actions(endpoint: EndpointLine) -> rx.Component:
    return rx.hstack(
        rx.cond(
            endpoint.active,
            rx.button(
                "Pause",
                size="1",
                variant="soft",
                on_click=WebhooksState.set_active(endpoint.id, False),
            ),
            rx.button(
                "Resume",
                size="1",
                variant="soft",
                color_scheme="green",
                on_click=WebhooksState.set_active(endpoint.id, True),
            ),
        ),
        rx.button(
            "Delete",
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=WebhooksState.delete_endpoint(endpoint.id),
        ),
        spacing="2",
    )


ENDPOINT_COLUMNS = [
    Column("URL", lambda e: rx.code(e.url), row_header=True),
    Column("Events", lambda e: e.event_types),
    Column("Status", _status),
    Column("Failures in a row", lambda e: e.consecutive_failures),
]

DELIVERY_COLUMNS = [
    Column("Created", lambda d: d.created_at),
    Column("Endpoint", lambda d: d.endpoint_id),
    Column("Event", lambda d: rx.code(d.event_id), row_header=True),
    Column("Type", lambda d: d.event_type),
    Column("Status", lambda d: rx.badge(d.status, variant="soft")),
    Column("Attempts", lambda d: d.attempts),
    Column("HTTP", lambda d: d.response_code),
    Column("Error", lambda d: rx.text(d.last_error, size="1")),
]


def _add_form() -> rx.Component:
    return page_form(
        WebhooksState,
        labelled_field(
            "Endpoint URL",
            "webhook-url",
            name="url",
            type="url",
            placeholder="https://example.com/hooks/stock",
            error=field_error(WebhooksState, "webhook-url"),
        ),
        labelled_field(
            "What receives it", "webhook-description", name="description", optional=True
        ),
        rx.el.fieldset(
            rx.el.legend("Events to send", class_name="field-label"),
            *[labelled_checkbox(t, f"type-{t}", name=f"type_{t}") for t in EVENT_TYPES],
            class_name="event-types",
        ),
        on_submit=WebhooksState.create_endpoint,
        submit="Add endpoint",
        submit_id="add-webhook",
    )


@admin_only
def webhooks_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Webhooks", size="5"),
            rx.spacer(),
            rx.button("Refresh", variant="soft", on_click=WebhooksState.refresh),
            width="100%",
        ),
        rx.text(
            "Signed POSTs to your systems for each event (see the README for the payload and "
            "how to verify the X-StockSaas-Signature header). An endpoint that keeps failing "
            "is paused; resume it here once it is fixed.",
            size="2",
            color_scheme="gray",
        ),
        warning_notice(
            WebhooksState.paused_count > 0,
            "Some endpoints are paused after repeated failures; hover the badge for the "
            "last error.",
            "paused-notice",
        ),
        _add_form(),
        one_time_secret(
            SECRET_ID,
            "Signing secret of the new endpoint",
            shown=WebhooksState.secret_shown,
            on_hide=WebhooksState.hide_secret,
            hint="Shown once: store it where your receiver checks signatures.",
        ),
        data_table(
            WebhooksState.endpoints,
            ENDPOINT_COLUMNS,
            table_id="webhook-endpoints",
            label="Webhook endpoints",
            loading=WebhooksState.loading,
            empty=rx.text(
                "No endpoints yet. Add the URL of a system that should hear about stock changes.",
                size="2",
                color_scheme="gray",
            ),
            row_actions=_endpoint_actions,
            row_props=lambda e: {"class_name": "webhook-row"},
            focusable_rows=False,
        ),
        rx.heading("Delivery log", size="4", padding_top="1em"),
        data_table(
            WebhooksState.deliveries,
            DELIVERY_COLUMNS,
            table_id="webhook-deliveries",
            label="Webhook deliveries",
            empty=rx.text("Nothing delivered yet.", size="2", color_scheme="gray"),
            row_props=lambda d: {"class_name": "delivery-row"},
            focusable_rows=False,
        ),
        width="100%",
        spacing="3",
    )
