"""``/api/health``: is the API up and can it reach its database (public, no tenant data)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from stock_saas.api.schemas import Health
from stock_saas.services import health

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", responses={503: {"model": Health, "description": "A check failed"}})
def health_check(response: Response) -> Health:
    """``{"status": "ok", "database": "ok"}``, or 503 with ``status: degraded``."""
    database = "ok" if health.database_ok() else "error"
    if database != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if database == "ok" else "degraded", database=database)
