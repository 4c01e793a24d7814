"""Every router of the API; ``create_app`` includes each one in ``ROUTERS``."""

from fastapi import APIRouter

from stock_saas.api.routes import (
    adjustments,
    audit,
    auth,
    catalog,
    counts,
    events,
    exports,
    health,
    imports,
    items,
    keys,
    labels,
    organisation,
    reports,
    two_factor,
    users,
    webhooks,
)

__all__ = ["ROUTERS"]

# FastAPI tries routers in this order: the stock routes (the hot path) come first.
ROUTERS: list[APIRouter] = [
    items.router,
    imports.router,
    adjustments.router,
    auth.router,
    two_factor.router,
    users.router,
    catalog.router,
    counts.router,
    labels.router,
    audit.router,
    exports.router,
    events.router,
    webhooks.router,
    keys.router,
    reports.router,
    organisation.router,
    health.router,
]
