"""Every router of the API; ``create_app`` includes each one in ``ROUTERS``."""

from fastapi import APIRouter

from stock_saas.api.routes import (
    audit,
    auth,
    catalog,
    events,
    exports,
    health,
    items,
    users,
    webhooks,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    auth.router,
    users.router,
    catalog.router,
    items.router,
    audit.router,
    exports.router,
    events.router,
    webhooks.router,
    health.router,
]
