"""Shared fixtures: a fresh migrated database per test, on SQLite and on PostgreSQL.

``database`` is parametrised over the backends named in TEST_BACKENDS (default
``sqlite,postgresql``). SQLite tests get a copy of a migrated template file; PostgreSQL
tests share one migrated database per xdist worker, truncated before each test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head
from stock_saas.models import Tenant
from stock_saas.services.core import Context, Role, Source
from stock_saas.services.people import create_user, ensure_tenant
from stock_saas.services.people.recent_users import forget_all_users
from tests.support.servers import PG_SERVER

# In-process tests do not talk to a Celery broker; the tests of the triggers install them
# themselves (apps started as subprocesses inherit this too unless their fixture says so).
os.environ.setdefault("QUEUE_ON_EVENTS", "false")

hypothesis_settings.register_profile("ci", max_examples=40, deadline=None)
hypothesis_settings.load_profile("ci")

BACKENDS = [b for b in os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
TEST_PASSWORD = "correct-horse-battery"


def _use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    db.dispose_engines()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    db.dispose_engines()
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    name = f"stock_saas_test_{worker_id}_{os.getpid()}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_SERVER}/{name}"
    upgrade_to_head(url)
    yield url
    db.dispose_engines()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = db.get_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """The URL of an empty, migrated database that the services now use."""
    if request.param == "sqlite":
        path = tmp_path / "inventory.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_all(url)
    _use_database(monkeypatch, url)
    forget_all_users()  # user ids restart in each test's database
    yield url
    db.dispose_engines()
    get_settings.cache_clear()
    forget_all_users()


@pytest.fixture
def tenant_a(database: str) -> Tenant:
    return ensure_tenant("Acme Hospital")


@pytest.fixture
def tenant_b(database: str) -> Tenant:
    return ensure_tenant("Beta Labs")


ContextFactory = Callable[[Tenant, Role], Context]


@pytest.fixture
def make_ctx(database: str) -> ContextFactory:
    """A Context of a real user with ``role`` in ``tenant`` (created on first ask)."""
    made: dict[tuple[int, Role], Context] = {}

    def factory(tenant: Tenant, role: Role) -> Context:
        assert tenant.id is not None
        key = (tenant.id, role)
        if key not in made:
            operator = Context(tenant_id=tenant.id, role=Role.ADMIN, source=Source.API)
            user = create_user(
                ctx=operator,
                username=f"{role.value}-{tenant.id}",
                password=TEST_PASSWORD,
                role=role,
                email=f"{role.value}-{tenant.id}@example.test",
            )
            made[key] = Context(
                tenant_id=tenant.id,
                role=role,
                source=Source.API,
                user_id=user.id,
                actor_name=user.username,
            )
        return made[key]

    return factory


@pytest.fixture
def admin_a(tenant_a: Tenant, make_ctx: ContextFactory) -> Context:
    return make_ctx(tenant_a, Role.ADMIN)


@pytest.fixture
def manager_a(tenant_a: Tenant, make_ctx: ContextFactory) -> Context:
    return make_ctx(tenant_a, Role.MANAGER)


@pytest.fixture
def user_a(tenant_a: Tenant, make_ctx: ContextFactory) -> Context:
    return make_ctx(tenant_a, Role.USER)


@pytest.fixture
def admin_b(tenant_b: Tenant, make_ctx: ContextFactory) -> Context:
    return make_ctx(tenant_b, Role.ADMIN)


@pytest.fixture
def manager_b(tenant_b: Tenant, make_ctx: ContextFactory) -> Context:
    return make_ctx(tenant_b, Role.MANAGER)


# ---- one browser per run (Playwright's sync API keeps an event loop on this thread, so
# every browser test must share this driver rather than start its own) -------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
