"""Reflex configuration: the database URL, Redis and CORS come from the one Settings object."""

import reflex as rx

from stock_saas.config import get_settings
from stock_saas.db import normalize_url

_settings = get_settings()

config = rx.Config(
    app_name="stock_saas",
    db_url=normalize_url(_settings.database_url),
    redis_url=_settings.redis_url,
    cors_allowed_origins=_settings.cors_origins,
    show_built_with_reflex=False,
    telemetry_enabled=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium")),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
