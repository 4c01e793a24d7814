"""What the webhook service hands out: endpoint and delivery views, and one delivery job."""

from __future__ import annotations

from dataclasses import dataclass

from stock_saas.models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from stock_saas.services.core import UtcDatetime, View

__all__ = ["DeliveryBatch", "DeliveryJob", "DeliveryView", "EndpointView", "NewEndpoint"]


class EndpointView(View):
    """An endpoint without its secret."""

    id: int
    url: str
    description: str
    event_types: list[str]
    active: bool
    paused_at: UtcDatetime | None
    paused_reason: str | None
    consecutive_failures: int
    created_at: UtcDatetime

    @classmethod
    def of(cls, row: WebhookEndpoint) -> EndpointView:
        return cls.model_validate({**row.model_dump(), "event_types": row.event_types.split(",")})


class NewEndpoint(View):
    endpoint: EndpointView
    secret: str  # shown once


class DeliveryView(View):
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: WebhookDeliveryStatus
    attempts: int
    response_code: int | None
    last_error: str | None
    created_at: UtcDatetime
    next_attempt_at: UtcDatetime | None
    delivered_at: UtcDatetime | None

    @classmethod
    def of(cls, row: WebhookDelivery) -> DeliveryView:
        return cls.model_validate(row)


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """One claimed attempt: where to POST what, and the secret to sign it with (never
    leaves the worker)."""

    delivery_id: int
    tenant_id: int
    url: str
    secret: str
    body: str
    event_type: str
    event_id: str


@dataclass(frozen=True, slots=True)
class DeliveryBatch:
    """The deliveries one attempt POSTs to one endpoint, oldest first: one event's object,
    or, when the endpoint lags, a JSON array of them in order (signed as one body)."""

    tenant_id: int
    endpoint_id: int
    url: str
    secret: str
    jobs: tuple[DeliveryJob, ...]

    @property
    def delivery_ids(self) -> list[int]:
        return [job.delivery_id for job in self.jobs]

    @property
    def body(self) -> str:
        if len(self.jobs) == 1:
            return self.jobs[0].body
        return "[" + ",".join(job.body for job in self.jobs) + "]"
