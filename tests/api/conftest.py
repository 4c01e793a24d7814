"""API fixtures: a TestClient on a fresh database, a private key store, cheap tokens.

Tokens come from ``issue_token`` (no argon2 sign-in) unless the sign-in itself is tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from passlib.context import CryptContext

from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.models import Tenant
from stock_saas.security import passwords
from stock_saas.security.tokens import issue_token
from stock_saas.services.core import Context
from tests.api.world import World, build_world
from tests.conftest import ContextFactory

Headers = dict[str, str]


@pytest.fixture
def key_store(database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A key store of this test's own (never the repo's secrets.json, never SECRET_KEY)."""
    path = tmp_path / "secrets.json"
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_STORE_FILE", str(path))
    get_settings.cache_clear()
    return path


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with minimal cost for tests that create users but do not test sign-in.

    Hashes still verify with the real context (argon2 reads its parameters from the hash).
    """
    cheap = CryptContext(
        schemes=["argon2"], argon2__type="ID", argon2__memory_cost=64, argon2__time_cost=1
    )
    monkeypatch.setattr(passwords, "_context", cheap)


@pytest.fixture
def client(key_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def token_for(ctx: Context) -> str:
    assert ctx.user_id is not None
    return issue_token(user_id=ctx.user_id, tenant_id=ctx.tenant_id, role=ctx.role.value)


@pytest.fixture
def auth(key_store: Path) -> Callable[[Context], Headers]:
    """``auth(ctx)`` → the Authorization header of a fresh token for that user."""

    def headers(ctx: Context) -> Headers:
        return {"Authorization": f"Bearer {token_for(ctx)}"}

    return headers


@pytest.fixture
def world(
    cheap_hashing: None,
    key_store: object,
    make_ctx: ContextFactory,
    tenant_a: Tenant,
    tenant_b: Tenant,
) -> World:
    """Tenant A with a person and a key of every role and a sample of every resource, tenant
    B's admin (tests/api/world.py): what the route matrices call the routes with."""
    return build_world(make_ctx, tenant_a, tenant_b)
