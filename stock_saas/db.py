"""Engines and transactions.

SQLite runs in WAL mode with a busy timeout and foreign keys on; a write transaction
starts with ``BEGIN IMMEDIATE`` so concurrent writers queue on the lock instead of
failing with "database is locked" half-way through. PostgreSQL runs at READ COMMITTED;
stock updates are guarded single statements, so no lost updates either way.

Work that must only happen once data is durable (publishing events, enqueueing tasks)
is registered with :func:`after_commit` and runs when the transaction has committed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from stock_saas.config import get_settings
from stock_saas.security.file_modes import private_file

__all__ = [
    "after_commit",
    "commit_without_waiting_for_disk",
    "dispose_engines",
    "get_engine",
    "normalize_url",
    "read_session",
    "autocommit_connection",
    "driver_autocommit",
    "write_session",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000
_engines: dict[str, Engine] = {}
# Each PostgreSQL pool of a process (transactions; autocommit): the README's sizing says so.
_POSTGRES_POOL: dict[str, Any] = {"pool_size": 20, "max_overflow": 20, "pool_recycle": 1800}
_lock = threading.Lock()


def normalize_url(url: str) -> str:
    """Map plain ``postgresql://`` URLs to the psycopg 3 driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _private_database_file(url: str) -> None:
    # The database holds password hashes: 0600 from its first byte (see file_modes).
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        private_file(Path(database))


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: Settings.database_url)."""
    url = normalize_url(url or get_settings().database_url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if make_url(url).get_backend_name() == "sqlite":
                _private_database_file(url)
                engine = create_engine(url, connect_args={"check_same_thread": False})
                _configure_sqlite(engine)
            else:
                # No pre-ping (it costs a round trip per transaction): a connection found dead
                # fails one request with a 503, and SQLAlchemy then invalidates the pool.
                engine = create_engine(url, **_POSTGRES_POOL)
            _engines[url] = engine
        return engine


def _autocommit_engine(url: str | None = None) -> Engine:
    """``get_engine(url)``, or on PostgreSQL a second engine whose pooled connections are in
    autocommit from the start: no isolation switch there and back on every checkout (that
    switch was a tenth of the API's issue path)."""
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        return engine
    key = f"{engine.url.render_as_string(hide_password=False)}#autocommit"
    with _lock:
        found = _engines.get(key)
        if found is None:
            found = _engines[key] = create_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,  # nothing to roll back in autocommit
                **_POSTGRES_POOL,
            )
        return found


def _forget_parent_connections() -> None:
    # A forked worker must never use the parent's pooled connections (two processes on
    # one socket corrupt both); close=False leaves the parent's connections alone.
    for engine in _engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


def dispose_engines() -> None:
    """Close every pooled connection (after fork, or between test databases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction has committed (never on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


@contextmanager
def _transaction(bind: Engine) -> Iterator[Session]:
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    for callback in session.info.pop("after_commit", []):
        callback()


@contextmanager
def write_session(url: str | None = None) -> Iterator[Session]:
    """A transaction that may write; commits on success, rolls back on any error."""
    engine = get_engine(url)
    bind = engine.execution_options(sqlite_immediate=True)
    with _transaction(bind) as session:
        yield session


def commit_without_waiting_for_disk(session: Session) -> None:
    """This transaction's commit does not wait for its WAL to reach the disk (PostgreSQL's
    ``synchronous_commit`` off, for this transaction only; SQLite: nothing). For rows whose
    loss in a database crash is harmless (the sign-in throttle's counts: a crash forgets at
    most the last few hundred milliseconds of them); the transaction stays atomic and
    isolated, and a later synchronous commit flushes it first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


@contextmanager
def autocommit_connection(url: str | None = None) -> Iterator[Connection]:
    """A connection where each statement commits on its own (single-statement writes)."""
    engine = _autocommit_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            yield connection
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


@contextmanager
def driver_autocommit(url: str | None = None) -> Iterator[Any]:
    """PostgreSQL only: a psycopg cursor on a pooled autocommit connection, for a hot single
    statement already compiled to SQL (no SQLAlchemy execution context). The cursor stays
    with its connection and is reused (its adapters and dumpers are set up once). Driver
    errors, a failed connect included, come out as SQLAlchemy's (``OperationalError`` ... as
    everywhere else, so an outage is the API's 503), and a connection they show to be dead
    is dropped from the pool."""
    engine = _autocommit_engine(url)
    assert engine.dialect.name == "postgresql", "driver_autocommit is PostgreSQL's"
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        fairy = engine.raw_connection()  # the pool's connect raises the driver's own error
    except dbapi_error as error:
        raise DBAPIError.instance(None, None, error, dbapi_error, dialect=engine.dialect) from error
    try:
        driver: Any = fairy.driver_connection
        cursor = fairy.info.get("cursor")
        if cursor is None or cursor.connection is not driver:
            cursor = fairy.info["cursor"] = driver.cursor()
        yield cursor
    except dbapi_error as error:
        if engine.dialect.is_disconnect(error, fairy.dbapi_connection, None):
            fairy.invalidate(error)
        raise DBAPIError.instance(None, None, error, dbapi_error, dialect=engine.dialect) from error
    finally:
        fairy.close()


@contextmanager
def read_session(url: str | None = None) -> Iterator[Session]:
    """A transaction for reads only (it never takes SQLite's write lock)."""
    with _transaction(get_engine(url)) as session:
        yield session
