"""What the webhook service hands out: endpoint and delivery views, and one delivery job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stock_saas.models import WebhookDelivery, WebhookEndpoint

__all__ = ["DeliveryJob", "DeliveryView", "EndpointView", "NewEndpoint"]


@dataclass(frozen=True, slots=True)
class EndpointView:
    """An endpoint without its secret."""

    id: int
    url: str
    description: str
    event_types: list[str]
    active: bool
    paused_at: datetime | None
    paused_reason: str | None
    consecutive_failures: int
    created_at: datetime

    @classmethod
    def of(cls, row: WebhookEndpoint) -> EndpointView:
        assert row.id is not None
        return cls(
            row.id,
            row.url,
            row.description,
            row.event_types.split(","),
            row.active,
            row.paused_at,
            row.paused_reason,
            row.consecutive_failures,
            row.created_at,
        )


@dataclass(frozen=True, slots=True)
class NewEndpoint:
    endpoint: EndpointView
    secret: str  # shown once


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    response_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: WebhookDelivery) -> DeliveryView:
        assert row.id is not None
        return cls(
            row.id,
            row.endpoint_id,
            row.event_id,
            row.event_type,
            row.status,
            row.attempts,
            row.response_code,
            row.last_error,
            row.created_at,
            row.next_attempt_at,
            row.delivered_at,
        )


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """One claimed attempt: where to POST what, and the secret to sign it with."""

    delivery_id: int
    tenant_id: int
    url: str
    secret: str
    body: str
    event_type: str
    event_id: str
