"""Outbound webhooks (admin): register endpoints, pause/resume, read the delivery log.

``POST /api/webhooks`` answers the endpoint with its signing ``secret``; no other call
ever shows the secret again. Payload and signature: README "Events, SSE and webhooks".
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX
from stock_saas.api.schemas.common import ApiModel, TenantBody
from stock_saas.services import webhooks

__all__ = ["router"]

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"], responses=ERROR_RESPONSES)

EndpointId = Annotated[int, Path(ge=1, le=ID_MAX)]
EventTypes = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=10)]


class WebhookCreate(TenantBody):
    url: str = Field(max_length=500, description="https:// URL that receives the POSTs")
    event_types: EventTypes = Field(description="e.g. ['stock.changed', 'stock.low']")
    description: str = Field(default="", max_length=200)


class WebhookUpdate(ApiModel):
    active: bool | None = Field(default=None, description="false pauses, true resumes")
    url: str | None = Field(default=None, max_length=500)
    event_types: EventTypes | None = None
    description: str | None = Field(default=None, max_length=200)


class WebhookPublic(BaseModel):
    id: int
    url: str
    description: str
    event_types: list[str]
    active: bool
    paused_at: datetime | None
    paused_reason: str | None
    consecutive_failures: int
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="The signing secret; shown only in this answer")


class DeliveryPublic(BaseModel):
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: str  # pending | sending | delivered | failed
    attempts: int
    response_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


NewWebhook = Annotated[WebhookCreate, tenant_body(WebhookCreate)]


def _public(view: webhooks.EndpointView) -> WebhookPublic:
    return WebhookPublic.model_validate(view, from_attributes=True)


@router.get("")
def list_webhooks(ctx: TenantContext) -> list[WebhookPublic]:
    """Every endpoint of the tenant (admin), without secrets."""
    return [_public(v) for v in webhooks.list_endpoints(ctx=ctx)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_webhook(body: NewWebhook, ctx: CurrentContext) -> WebhookCreated:
    """Register an endpoint (admin); the answer holds the secret, once."""
    made = webhooks.create_endpoint(
        ctx=ctx, url=body.url, event_types=body.event_types, description=body.description
    )
    return WebhookCreated(**_public(made.endpoint).model_dump(), secret=made.secret)


@router.patch("/{webhook_id}", responses=error_responses(404))
def update_webhook(
    webhook_id: EndpointId, body: WebhookUpdate, ctx: TenantContext
) -> WebhookPublic:
    """Pause, resume or change an endpoint (admin)."""
    view = webhooks.update_endpoint(
        ctx=ctx,
        endpoint_id=webhook_id,
        active=body.active,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
    )
    return _public(view)


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
) -> list[DeliveryPublic]:
    """The endpoint's newest deliveries with status, attempts and last error (admin)."""
    return [
        DeliveryPublic.model_validate(d, from_attributes=True)
        for d in webhooks.list_deliveries(ctx=ctx, endpoint_id=webhook_id, limit=limit)
    ]
