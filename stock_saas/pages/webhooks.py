"""/webhooks (admins): outbound webhook endpoints, the add form, and the delivery log."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.layout import app_shell, empty_state
from stock_saas.services.events import EVENT_TYPES
from stock_saas.state.webhooks import DeliveryLine, EndpointLine, WebhooksState

__all__ = ["webhooks_page"]


def _endpoint(endpoint: EndpointLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(endpoint.url)),
        rx.table.cell(endpoint.event_types),
        rx.table.cell(
            rx.cond(
                endpoint.active,
                rx.badge("active", color_scheme="green", variant="soft"),
                rx.tooltip(
                    rx.badge("paused", color_scheme="red", variant="soft", class_name="paused"),
                    content=endpoint.paused_reason,
                ),
            )
        ),
        rx.table.cell(endpoint.consecutive_failures),
        rx.table.cell(
            rx.hstack(
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
        ),
        class_name="webhook-row",
    )


def _delivery(delivery: DeliveryLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(delivery.created_at),
        rx.table.cell(delivery.endpoint_id),
        rx.table.cell(rx.code(delivery.event_id)),
        rx.table.cell(delivery.event_type),
        rx.table.cell(rx.badge(delivery.status, variant="soft")),
        rx.table.cell(delivery.attempts),
        rx.table.cell(delivery.response_code),
        rx.table.cell(rx.text(delivery.last_error, size="1", color_scheme="gray")),
        class_name="delivery-row",
    )


def _table(headers: tuple[str, ...], body: rx.Component, table_id: str) -> rx.Component:
    return rx.scroll_area(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(body),
            size="1",
            width="100%",
            id=table_id,
        ),
        type="auto",
        scrollbars="horizontal",
    )


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.input(
                name="url",
                id="webhook-url",
                placeholder="https://example.com/hooks/stock",
                width="100%",
            ),
            rx.input(name="description", placeholder="What receives it (optional)", width="100%"),
            rx.flex(
                *[
                    rx.el.label(
                        rx.el.input(type="checkbox", name=f"type_{t}", id=f"type-{t}"),
                        f" {t}",
                        style={"marginRight": "1em"},
                    )
                    for t in EVENT_TYPES
                ],
                wrap="wrap",
            ),
            rx.cond(
                WebhooksState.form_error != "",
                rx.text(WebhooksState.form_error, color_scheme="red", size="2"),
            ),
            rx.button("Add endpoint", type="submit", id="add-webhook"),
            spacing="2",
            width="100%",
        ),
        on_submit=WebhooksState.create_endpoint,
        reset_on_submit=True,
        width="100%",
    )


def webhooks_page() -> rx.Component:
    return app_shell(
        rx.cond(
            WebhooksState.is_admin,
            rx.vstack(
                rx.hstack(
                    rx.heading("Webhooks", size="5"),
                    rx.spacer(),
                    rx.button("Refresh", variant="soft", on_click=WebhooksState.refresh),
                    width="100%",
                ),
                rx.text(
                    "Signed POSTs to your systems for each event (see the README for the "
                    "payload and how to verify the X-StockSaas-Signature header). An endpoint "
                    "that keeps failing is paused; resume it here once it is fixed.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(
                    WebhooksState.paused_count > 0,
                    rx.callout(
                        "Some endpoints are paused after repeated failures; hover the badge "
                        "for the last error.",
                        icon="triangle-alert",
                        color_scheme="red",
                        id="paused-notice",
                        width="100%",
                    ),
                ),
                _add_form(),
                rx.cond(
                    WebhooksState.new_secret != "",
                    rx.callout(
                        rx.text(
                            "Signing secret (shown once): ",
                            rx.code(WebhooksState.new_secret, id="webhook-secret"),
                        ),
                        icon="key-round",
                        color_scheme="green",
                        width="100%",
                    ),
                ),
                _table(
                    ("URL", "Events", "Status", "Failures in a row", ""),
                    rx.foreach(WebhooksState.endpoints, _endpoint),
                    "webhook-endpoints",
                ),
                rx.heading("Delivery log", size="4", padding_top="1em"),
                _table(
                    ("Created", "Endpoint", "Event", "Type", "Status", "Attempts", "HTTP", "Error"),
                    rx.foreach(WebhooksState.deliveries, _delivery),
                    "webhook-deliveries",
                ),
                width="100%",
                spacing="3",
            ),
            empty_state("lock", "Admins only", "Ask an admin of your organisation for access."),
        )
    )
