"""Outbound webhooks (admin): register endpoints, pause/resume, read the delivery log.

``POST /api/webhooks`` answers the endpoint with its signing ``secret``; no other call
ever shows the secret again. Payload and signature: README "Events, SSE and webhooks".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import Field, StringConstraints

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX
from stock_saas.api.schemas.common import NO_CONTROL, Flag, TenantBody, TenantPatch
from stock_saas.services import webhooks
from stock_saas.services.events import EventType
from stock_saas.services.webhooks import DeliveryView, EndpointView

__all__ = ["router"]

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"], responses=ERROR_RESPONSES)

EndpointId = Annotated[int, Path(ge=1, le=ID_MAX)]
EventTypes = Annotated[list[EventType], Field(min_length=1, max_length=10)]
# What the sender can parse (services.webhooks): http(s), an ASCII host name or address
# (IPv6 in brackets), a port 0-65535, a printable path. Whether the host is public and
# http is allowed is policy the service decides (403).
_PORT = r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = rf"({_OCTET}(\.{_OCTET}){{3}}|({_LABEL}\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)"
WEBHOOK_URL = rf"^https?://{_HOST}{_PORT}([/?#][!#-~]*)?$"
Url = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500, pattern=WEBHOOK_URL),
    Field(description="https:// URL that receives the POSTs (public hosts only, else 403)"),
]
Description = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL)]


class WebhookCreate(TenantBody):
    url: Url
    event_types: EventTypes = Field(description="e.g. ['stock.changed', 'stock.low']")
    description: Description = ""


class WebhookUpdate(TenantPatch):
    active: Flag | None = Field(default=None, description="false pauses, true resumes")
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None


class WebhookCreated(EndpointView):
    secret: str = Field(description="The signing secret; shown only in this answer")


def _names(types: list[EventType]) -> list[str]:
    return [t.value for t in types]


NewWebhook = Annotated[WebhookCreate, tenant_body(WebhookCreate)]
EndpointChanges = Annotated[WebhookUpdate, tenant_body(WebhookUpdate)]


@router.get("")
def list_webhooks(ctx: TenantContext) -> list[EndpointView]:
    """Every endpoint of the tenant (admin), without secrets."""
    return webhooks.list_endpoints(ctx=ctx)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_webhook(body: NewWebhook, ctx: CurrentContext) -> WebhookCreated:
    """Register an endpoint (admin); the answer holds the secret, once."""
    made = webhooks.create_endpoint(
        ctx=ctx, url=body.url, event_types=_names(body.event_types), description=body.description
    )
    return WebhookCreated(**made.endpoint.model_dump(), secret=made.secret)


@router.patch("/{webhook_id}", responses=error_responses(404))
def update_webhook(
    webhook_id: EndpointId, body: EndpointChanges, ctx: CurrentContext
) -> EndpointView:
    """Pause, resume or change an endpoint (admin)."""
    return webhooks.update_endpoint(
        ctx=ctx,
        endpoint_id=webhook_id,
        active=body.active,
        url=body.url,
        event_types=None if body.event_types is None else _names(body.event_types),
        description=body.description,
    )


@router.delete(
    "/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
def delete_webhook(webhook_id: EndpointId, ctx: TenantContext) -> Response:
    """Remove an endpoint and its delivery log (admin)."""
    webhooks.delete_endpoint(ctx=ctx, endpoint_id=webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", responses=error_responses(404))
def list_webhook_deliveries(
    webhook_id: EndpointId,
    ctx: TenantContext,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeliveryView]:
    """The endpoint's newest deliveries with status, attempts and last error (admin)."""
    return webhooks.list_deliveries(ctx=ctx, endpoint_id=webhook_id, limit=limit)
