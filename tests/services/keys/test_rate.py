"""The per-key rate limit, counted in this process and in Redis (database 4)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import redis

from stock_saas.config import get_settings
from stock_saas.errors import RateLimited
from stock_saas.services import keys
from tests.support.servers import redis_db

RATE_DB = 4


def _count_in(kind: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("API_KEY_RATE_LIMIT", "5")
    if kind == "redis":
        url = redis_db(RATE_DB)
        redis.Redis.from_url(url).flushdb()
        monkeypatch.setenv("REDIS_URL", url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield kind
    get_settings.cache_clear()


@pytest.fixture(params=["process", "redis"])
def counter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from _count_in(request.param, monkeypatch)


@pytest.fixture
def redis_counter(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from _count_in("redis", monkeypatch)


def _prefix() -> str:
    return "ssk_" + secrets.token_hex(6)


def test_the_request_past_the_limit_is_refused_with_retry_after(counter: str):
    prefix = _prefix()
    for _ in range(5):
        keys.check_key_rate(prefix)
    with pytest.raises(RateLimited) as refused:
        keys.check_key_rate(prefix)
    assert 1 <= refused.value.retry_after <= 60


def test_one_keys_burst_leaves_other_keys_their_whole_allowance(counter: str):
    busy, quiet = _prefix(), _prefix()
    for _ in range(5):
        keys.check_key_rate(busy)
    with pytest.raises(RateLimited):
        keys.check_key_rate(busy)
    for _ in range(5):
        keys.check_key_rate(quiet)  # no RateLimited


def test_redis_holds_the_count_every_worker_shares(redis_counter: str):
    prefix = _prefix()
    for _ in range(3):
        keys.check_key_rate(prefix)
    stored = redis.Redis.from_url(redis_db(RATE_DB)).get(f"stock-saas:api-key-rate:{prefix}")
    assert stored == b"3"


def test_the_default_limit_is_600_a_minute(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("API_KEY_RATE_LIMIT", raising=False)
    get_settings.cache_clear()
    assert get_settings().api_key_rate_limit == 600
    get_settings.cache_clear()
