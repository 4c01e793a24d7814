"""/webhooks: the admin's outbound webhook endpoints and their delivery log.

Every handler re-checks the admin session through the services; the signing secret of a
new endpoint is shown once and never kept in this state: ``create_endpoint`` writes it
straight into the page's read-only field (``SECRET_ID``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import webhooks
from stock_saas.services.core import Context, Role
from stock_saas.services.events import EVENT_TYPES
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import FormState, text_field
from stock_saas.state.page_load import AdminPageState
from stock_saas.state.views import line_of

__all__ = ["SECRET_ID", "DeliveryLine", "EndpointLine", "WebhooksState"]

SECRET_ID = "webhook-secret"  # noqa: S105 (the id of the field, not a secret)


@dataclasses.dataclass
class EndpointLine:
    id: int = 0
    url: str = ""
    event_types: str = ""
    active: bool = True
    paused_reason: str = ""
    consecutive_failures: int = 0


@dataclasses.dataclass
class DeliveryLine:
    id: int = 0
    endpoint_id: int = 0
    event_id: str = ""
    event_type: str = ""
    status: str = ""
    attempts: int = 0
    response_code: str = ""
    last_error: str = ""
    created_at: str = ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


class WebhooksState(AdminPageState, FormState, AuthState):
    endpoints: list[EndpointLine] = []
    deliveries: list[DeliveryLine] = []
    secret_shown: bool = False  # the new secret is in the page's field, never in this state

    @rx.var
    def paused_count(self) -> int:
        return sum(1 for e in self.endpoints if not e.active)

    async def _load(self, ctx: Context | None = None) -> None:
        ctx = ctx or await self._session(Role.ADMIN)
        endpoints = await call_service(webhooks.list_endpoints, ctx=ctx)
        deliveries = await call_service(webhooks.list_deliveries, ctx=ctx, limit=50)
        self.endpoints = [
            line_of(EndpointLine, e, event_types=", ".join(e.event_types)) for e in endpoints
        ]
        self.deliveries = [
            line_of(DeliveryLine, d, response_code=_text(d.response_code)) for d in deliveries
        ]

    async def _load_page(self, ctx: Context) -> Any:
        """on_load of /webhooks (admins only): endpoints, deliveries, a word on paused ones."""
        self.secret_shown = False
        self._clear_problem()
        await self._load(ctx)
        if self.paused_count:
            return rx.toast.warning(
                f"{self.paused_count} webhook endpoint(s) paused after repeated failures.",
                close_button=True,
            )
        return None

    @rx.event
    @reports_errors
    async def refresh(self) -> None:
        await self._load()

    @rx.event
    @reports_errors
    async def create_endpoint(self, form: dict[str, Any]) -> Any:
        url = text_field(form, "url", limit=500)
        if not url:
            return self._problem("Give the URL that receives the events.", field="webhook-url")
        chosen = [t for t in EVENT_TYPES if form.get(f"type_{t}")]
        ctx = await self._session(Role.ADMIN)
        try:
            made = await call_service(
                webhooks.create_endpoint,
                ctx=ctx,
                url=url,
                event_types=chosen,
                description=text_field(form, "description", limit=200),
            )
        except StockSaasError as exc:
            if exc.about_input:
                return self._problem(exc.detail)
            raise
        self._clear_problem()
        await self._load(ctx)
        self.secret_shown = True
        return [
            rx.set_value(SECRET_ID, made.secret),
            rx.toast.success("Endpoint added; copy its signing secret now."),
        ]

    @rx.event
    def hide_secret(self) -> None:
        self.secret_shown = False

    @rx.event
    @reports_errors
    async def set_active(self, endpoint_id: int, active: bool) -> Any:
        ctx = await self._session(Role.ADMIN)
        await call_service(
            webhooks.update_endpoint, ctx=ctx, endpoint_id=int(endpoint_id), active=bool(active)
        )
        await self._load()
        return rx.toast.success("Resumed." if active else "Paused.")

    @rx.event
    @reports_errors
    async def delete_endpoint(self, endpoint_id: int) -> Any:
        ctx = await self._session(Role.ADMIN)
        await call_service(webhooks.delete_endpoint, ctx=ctx, endpoint_id=int(endpoint_id))
        await self._load()
        return rx.toast.success("Endpoint removed.")
