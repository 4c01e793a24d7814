"""Applying Alembic migrations from code (the CLI migrates a fresh database on first use)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from stock_saas.config import REPO_ROOT
from stock_saas.db import get_engine

__all__ = ["alembic_config", "current_revision", "head_revision", "is_at_head", "upgrade_to_head"]


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    config.attributes["database_url"] = url
    config.attributes["skip_logging"] = True
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(url: str | None = None) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()


def upgrade_to_head(url: str | None = None) -> None:
    """Bring the database to the newest revision (a no-op when it already is)."""
    if not is_at_head(url):
        command.upgrade(alembic_config(url), "head")
