"""A throw-away PostgreSQL database for a benchmark (never the test or dev one)."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text

from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head

__all__ = ["drop_database", "fresh_database"]

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def fresh_database(name: str) -> str:
    """Drop and re-create ``name``, migrate it, and point the services at it."""
    admin = create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{SERVER}/{name}"
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.dispose_engines()
    upgrade_to_head(url)
    return url


def drop_database(name: str) -> None:
    """Drop a benchmark's scratch database (closing this process's connections first)."""
    db.dispose_engines()
    admin = create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
