"""SQLModel tables, one module per aggregate. Importing this registers them all."""

from stock_saas.models.alert import (
    AlertEpisode,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from stock_saas.models.api_key import KEY_NAME_MAX, ApiKey, ApiKeyStatus
from stock_saas.models.catalog import BARCODE_MAX, NAME_MAX, Category, Department, Item
from stock_saas.models.count import CountLine, CountStatus, StockCount
from stock_saas.models.event_relay import RelayedEvent
from stock_saas.models.export import Export, ExportStatus
from stock_saas.models.imports import ImportJob, ImportStatus
from stock_saas.models.label import BarcodeCounter
from stock_saas.models.stock import (
    AdjustReason,
    AuditLog,
    DepartmentStockCount,
    MovementAction,
    StockLevel,
)
from stock_saas.models.tenant import Tenant
from stock_saas.models.user import (
    USERNAME_MAX,
    Invite,
    InviteStatus,
    LoginAttempt,
    NotificationPreference,
    RecoveryCode,
    User,
)
from stock_saas.models.webhook import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint

__all__ = [
    "BARCODE_MAX",
    "KEY_NAME_MAX",
    "NAME_MAX",
    "USERNAME_MAX",
    "AdjustReason",
    "AlertEpisode",
    "ApiKey",
    "ApiKeyStatus",
    "AuditLog",
    "BarcodeCounter",
    "Category",
    "CountLine",
    "CountStatus",
    "Department",
    "DepartmentStockCount",
    "Export",
    "ExportStatus",
    "ImportJob",
    "ImportStatus",
    "Invite",
    "InviteStatus",
    "Item",
    "LoginAttempt",
    "MovementAction",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "NotificationStatus",
    "RecoveryCode",
    "RelayedEvent",
    "StockCount",
    "StockLevel",
    "Tenant",
    "User",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
]
