"""Reflex configuration: the database URL, Redis and CORS come from the one Settings object."""

import os

import reflex as rx
from reflex import constants

from stock_saas.config import get_settings
from stock_saas.db import normalize_url

_settings = get_settings()

# A process started by scripts.run_all.private_frontend keeps its persisted lockfiles in a
# directory of its own instead of <app root>/reflex.lock, which concurrent starts would share.
if _lock_dir := os.environ.get("STOCK_SAAS_REFLEX_LOCK_DIR"):
    constants.Bun.ROOT_LOCKFILE_DIR = _lock_dir

config = rx.Config(
    app_name="stock_saas",
    db_url=normalize_url(_settings.database_url),
    redis_url=_settings.redis_url,
    cors_allowed_origins=_settings.cors_origins,
    show_built_with_reflex=False,
    # recharts takes @reduxjs/toolkit 1.x/2.x; 2.16 asks for an immer the registry here
    # does not have yet (every fresh frontend build failed): the last one that resolves.
    frontend_packages=["@reduxjs/toolkit@2.15.0"],
    telemetry_enabled=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium")),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
