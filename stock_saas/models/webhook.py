"""Outbound webhooks: the endpoints a tenant's admins registered, and each delivery."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import (
    created_at_column,
    id_type,
    tenant_fk,
    timestamp_column,
    utcnow,
)

__all__ = ["WebhookDelivery", "WebhookDeliveryStatus", "WebhookEndpoint"]


class WebhookDeliveryStatus(StrEnum):
    """Where one webhook delivery stands (``webhook_deliveries.status``)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookEndpoint(SQLModel, table=True):
    """An HTTPS URL that receives the chosen event types, signed with its own secret."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_tenant", "tenant_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    url: str = Field(max_length=500)
    description: str = Field(default="", max_length=200)
    event_types: str = Field(max_length=200)  # comma-separated, e.g. "stock.changed,stock.low"
    # The signing secret must be readable to sign; it is shown to the admin only once.
    secret: str = Field(max_length=100)
    active: bool = Field(default=True)
    paused_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    paused_reason: str | None = Field(default=None, max_length=500)
    consecutive_failures: int = Field(default=0)
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint; the unique key makes a second delivery row impossible."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
        Index("ix_webhook_deliveries_tenant", "tenant_id", "endpoint_id", "id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=id_type)
    tenant_id: int = Field(sa_column=tenant_fk())
    endpoint_id: int = Field(
        sa_column=Column(
            id_type, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
        )
    )
    event_id: str = Field(max_length=80)
    event_type: str = Field(max_length=40)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=WebhookDeliveryStatus.PENDING, max_length=12)
    attempts: int = Field(default=0)
    response_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=created_at_column())
    claimed_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    next_attempt_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    delivered_at: datetime | None = Field(default=None, sa_column=timestamp_column())
