"""Outbound webhooks: a tenant's endpoints, one signed delivery per matching event and
endpoint, retries with backoff, and pausing an endpoint that keeps failing."""

from stock_saas.models import WebhookDeliveryStatus
from stock_saas.services.webhooks.deliveries import (
    claim_batch,
    due_deliveries,
    has_sender,
    list_deliveries,
    record_deliveries,
    record_result,
)
from stock_saas.services.webhooks.endpoints import (
    create_endpoint,
    delete_endpoint,
    list_endpoints,
    update_endpoint,
)
from stock_saas.services.webhooks.signing import (
    SIGNATURE_HEADER,
    signature_header,
    verify_signature,
)
from stock_saas.services.webhooks.views import (
    DeliveryBatch,
    DeliveryJob,
    DeliveryView,
    EndpointView,
    NewEndpoint,
)

__all__ = [
    "SIGNATURE_HEADER",
    "DeliveryBatch",
    "DeliveryJob",
    "DeliveryView",
    "EndpointView",
    "NewEndpoint",
    "WebhookDeliveryStatus",
    "claim_batch",
    "create_endpoint",
    "delete_endpoint",
    "due_deliveries",
    "has_sender",
    "list_deliveries",
    "list_endpoints",
    "record_deliveries",
    "record_result",
    "signature_header",
    "update_endpoint",
    "verify_signature",
]
