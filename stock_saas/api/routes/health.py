"""``/api/health`` (liveness, with every backing service's status) and ``/api/ready``.

Both are public and reveal no tenant data. ``/api/health`` answers 503 only when the
database is unreachable; Redis, the broker, the Celery workers and the schema revision are
reported, not required (the app still serves reads and writes without them). ``/api/ready``
answers 200 only when this process should receive traffic: database reachable, schema at
the code's migration head, and the broker and Redis reachable when configured. Worker
status is asked of the workers over the broker (``celery inspect ping``) and cached for a
few seconds, so a load balancer polling health does not flood the broker.
"""

from __future__ import annotations

import logging
import threading
import time

from fastapi import APIRouter, Response, status

from stock_saas.api.schemas import Health
from stock_saas.services import health

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["health"])

WORKER_CACHE_SECONDS = 5.0
_worker_cache: tuple[float, str | int] = (0.0, "unknown")
_worker_lock = threading.Lock()


def _ask_workers() -> str | int:
    """How many Celery workers answer a ping within a second ("unknown" on the embedded broker)."""
    if health.broker_status() == "embedded":
        return "unknown"  # the SQLite transport has no broadcast channel
    try:
        from stock_saas.tasks.celery_app import app as celery_app

        return len(celery_app.control.ping(timeout=1.0) or [])
    except Exception as exc:
        log.warning("worker ping failed: %s", exc)
        return "error"


def _workers() -> str | int:
    global _worker_cache
    with _worker_lock:
        checked_at, value = _worker_cache
        if time.monotonic() - checked_at > WORKER_CACHE_SECONDS:
            value = _ask_workers()
            _worker_cache = (time.monotonic(), value)
        return value


@router.get("/health", responses={503: {"model": Health, "description": "A check failed"}})
def health_check(response: Response) -> Health:
    """``status`` ok/degraded, ``database``, ``redis``, ``broker``, ``workers``, ``migration``.

    503 with ``status: degraded`` when the database is unreachable.
    """
    database = "ok" if health.database_ok() else "error"
    migration = health.migration_state()
    if database != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(
        status="ok" if database == "ok" else "degraded",
        database=database,
        redis=health.redis_status(),
        broker=health.broker_status(),
        workers=_workers(),
        migration={"current": migration.current, "head": migration.head},
    )


@router.get("/ready", responses={503: {"model": Health, "description": "Not ready"}})
def readiness(response: Response) -> Health:
    """200 ``ready`` when database, schema, broker and Redis are all usable; else 503."""
    checks: dict[str, str] = {"database": "ok" if health.database_ok() else "error"}
    migration = health.migration_state()
    checks["migration"] = "ok" if migration.at_head else "behind"
    checks["broker"] = health.broker_status()
    checks["redis"] = health.redis_status()
    ready = all(value in ("ok", "embedded", "disabled") for value in checks.values())
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ready" if ready else "not ready", **checks)
