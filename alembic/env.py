"""Alembic environment: metadata from SQLModel, the URL from Settings (or the caller)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import stock_saas.models  # noqa: F401  (registers every table on SQLModel.metadata)
from stock_saas.db import get_engine, normalize_url

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str | None:
    return config.attributes.get("database_url")


def run_migrations_offline() -> None:
    from stock_saas.config import get_settings

    context.configure(
        url=normalize_url(_url() or get_settings().database_url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = get_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
