"""Where the tests find the real PostgreSQL and Redis of the machine.

``TEST_PG_SERVER`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432``) is the
server the PostgreSQL tests create their own databases on; ``TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379``) is the Redis whose numbered databases the suites use (each
suite its own numbers, flushed by that suite only). Point ``TEST_REDIS_URL`` at a private
``redis-server`` to run two suites at once on one machine.
"""

from __future__ import annotations

import os

__all__ = ["PG_SERVER", "REDIS_SERVER", "redis_db"]

PG_SERVER = os.environ.get("TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")


def redis_db(number: int) -> str:
    """The URL of Redis database ``number`` on the test Redis."""
    return f"{REDIS_SERVER}/{number}"
