"""Low-stock alerts: episodes (one per drop below threshold) and who is told, sending
each notification at most once with retries, and what the web app shows of them."""

from stock_saas.models import NotificationKind, NotificationStatus
from stock_saas.services.alerts.delivery import (
    Delivery,
    DeliveryFailed,
    DeliveryReport,
    Sender,
    deliver_due,
    retry_delivery,
    tenants_with_deliveries,
)
from stock_saas.services.alerts.episodes import (
    AlertCheck,
    check_stock_level,
    check_tenant,
    check_tenants,
    sweep_batches,
    tenants_to_check,
)
from stock_saas.services.alerts.views import (
    DeliveryOverview,
    NotificationView,
    delivery_status,
    my_notifications,
)

__all__ = [
    "AlertCheck",
    "Delivery",
    "DeliveryFailed",
    "DeliveryOverview",
    "DeliveryReport",
    "NotificationKind",
    "NotificationStatus",
    "NotificationView",
    "Sender",
    "check_stock_level",
    "check_tenant",
    "check_tenants",
    "deliver_due",
    "delivery_status",
    "my_notifications",
    "retry_delivery",
    "sweep_batches",
    "tenants_with_deliveries",
    "tenants_to_check",
]
