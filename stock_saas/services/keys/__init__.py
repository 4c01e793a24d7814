"""API keys: per-tenant credentials for integrations, made and revoked by admins, sent as
``Authorization: Bearer <key>``, stored as a SHA-256 only, rate limited per key."""

from stock_saas.models import ApiKeyStatus
from stock_saas.services.keys.manage import MAX_EXPIRY_DAYS, create_key, list_keys, revoke_key
from stock_saas.services.keys.material import KEY_MARK
from stock_saas.services.keys.rate import check_key_rate
from stock_saas.services.keys.verify import (
    INVALID_KEY,
    context_from_bearer,
    context_from_key,
    is_key,
    remembered_bearer_context,
)
from stock_saas.services.keys.views import ApiKeyView, NewApiKey

__all__ = [
    "INVALID_KEY",
    "KEY_MARK",
    "MAX_EXPIRY_DAYS",
    "ApiKeyStatus",
    "ApiKeyView",
    "NewApiKey",
    "check_key_rate",
    "context_from_bearer",
    "context_from_key",
    "create_key",
    "is_key",
    "list_keys",
    "remembered_bearer_context",
    "revoke_key",
]
