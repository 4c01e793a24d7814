"""The FastAPI app: every route under ``/api``, docs at ``/api/docs``.

``create_app()`` is complete without a lifespan (Reflex mounts it with
``rx.App(api_transformer=create_app())`` and may not run ours): engines and the key store
are opened lazily on first use. Run alone with
``uvicorn --factory stock_saas.api.app:create_app``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from stock_saas.api.errors import install_error_handlers
from stock_saas.api.links import install_links
from stock_saas.api.methods import MethodGuard
from stock_saas.api.middleware import BodySizeLimit
from stock_saas.api.request_log import RequestLog
from stock_saas.api.routes import ROUTERS
from stock_saas.config import get_settings
from stock_saas.logging import configure_logging
from stock_saas.services import events
from stock_saas.tasks import triggers

__all__ = ["create_app"]

DESCRIPTION = """\
Multi-tenant inventory. Sign in at `POST /api/token` (OAuth2 password form) and send
`Authorization: Bearer <token>`. Every call on tenant data carries `tenant_id` (query
string, or the JSON body for POST) equal to your token's tenant, else 403. Errors are
`{"detail": "..."}`: 401 token, 403 role or tenant, 404 nothing of yours, 409 conflict or
insufficient stock, 413 body over 64 KiB, 422 bad input, 429 too many sign-ins.

Roles: **user** reads, issues and returns; **manager** also adds, restocks, transfers and
edits departments, categories and items; **admin** also manages users and invites and
reads and exports the audit log.
"""


def create_app() -> FastAPI:
    """A new API app (settings are read now: CORS origins)."""
    settings = get_settings()
    configure_logging()
    app = FastAPI(
        title="Stock-SaaS API",
        version="1",
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
    )
    install_error_handlers(app)
    events.install_publisher()  # other processes' dashboards, SSE and webhooks see our changes
    if settings.queue_on_events:
        triggers.install()  # low stock and export requests reach Celery at once
    for router in ROUTERS:
        app.include_router(router)
    install_links(app)
    app.add_middleware(MethodGuard, api=app)  # inside CORS: preflights stay CORS's
    origins = settings.cors_origins
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            # Bearer tokens, not cookies: no credentials, so "*" is safe on the dev default.
            allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(BodySizeLimit)
    app.add_middleware(RequestLog)  # outermost: every /api answer gets an X-Request-ID
    return app
