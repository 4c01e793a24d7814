"""Reports tests: a small store with a hand-computed 30-day history, and cheap password
hashing (several users per test; sign-in is tested elsewhere)."""

from __future__ import annotations

import pytest
from passlib.context import CryptContext

from stock_saas.security import passwords
from stock_saas.services.core import Context
from tests.support.history import stock_the_store


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap = CryptContext(
        schemes=["argon2"], argon2__type="ID", argon2__memory_cost=64, argon2__time_cost=1
    )
    monkeypatch.setattr(passwords, "_context", cheap)


@pytest.fixture
def store(manager_a: Context) -> Context:
    """tests.support.history.stock_the_store's five stock levels, in tenant A."""
    stock_the_store(manager_a)
    return manager_a
