"""SQLModel tables, one module per aggregate. Importing this registers them all."""

from stock_saas.models.alert import AlertEpisode, Notification
from stock_saas.models.catalog import BARCODE_MAX, NAME_MAX, Category, Department, Item
from stock_saas.models.export import Export
from stock_saas.models.stock import AuditLog, StockLevel
from stock_saas.models.tenant import Tenant
from stock_saas.models.user import USERNAME_MAX, Invite, LoginAttempt, User
from stock_saas.models.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "BARCODE_MAX",
    "NAME_MAX",
    "USERNAME_MAX",
    "AlertEpisode",
    "AuditLog",
    "Category",
    "Department",
    "Export",
    "Invite",
    "Item",
    "LoginAttempt",
    "Notification",
    "StockLevel",
    "Tenant",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
