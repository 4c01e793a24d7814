"""Per-key rate limit: API_KEY_RATE_LIMIT requests a minute (default 600), then 429.

Each key has its own window, opened by its first request and lasting 60 s; request
number limit + 1 inside it is refused with the seconds left as ``Retry-After``. Counted
in Redis when REDIS_URL is set (shared by every worker: one round trip, no database
write), else in this process (the embedded default runs one backend worker). Keys never
share a counter, so one key's burst costs other keys and tenants nothing but the CPU of
refusing it. Counters are keyed by the key's random prefix, never reused. If Redis does
not answer, this process counts on its own rather than refuse or let everything through.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from functools import lru_cache

import redis

from stock_saas.config import get_settings
from stock_saas.errors import RateLimited

__all__ = ["WINDOW_SECONDS", "check_key_rate"]

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_REDIS_KEY = "stock-saas:api-key-rate:{prefix}"

_lock = threading.Lock()
_windows: dict[str, tuple[float, int]] = {}  # key prefix -> (window start, requests)


def check_key_rate(prefix: str) -> None:
    """Count one request of the key ``prefix``; RateLimited (with retry_after) past the limit."""
    settings = get_settings()
    limit = settings.api_key_rate_limit
    counted = None
    if settings.redis_url:
        counted = _count_in_redis(settings.redis_url, prefix)
    if counted is None:
        counted = _count_here(prefix)
    count, seconds_left = counted
    if count > limit:
        raise RateLimited(
            f"This API key made more than {limit} requests in a minute; slow down.",
            retry_after=max(1, math.ceil(seconds_left)),
        )


def _count_here(prefix: str) -> tuple[int, float]:
    now = time.monotonic()
    with _lock:
        start, count = _windows.get(prefix, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        count += 1
        _windows[prefix] = (start, count)
        if len(_windows) > 100_000:  # forget closed windows now and then
            for stale in [k for k, (s, _) in _windows.items() if now - s >= WINDOW_SECONDS]:
                del _windows[stale]
    return count, WINDOW_SECONDS - (now - start)


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _count_in_redis(url: str, prefix: str) -> tuple[int, float] | None:
    name = _REDIS_KEY.format(prefix=prefix)
    try:
        pipe = _client(url).pipeline(transaction=True)
        pipe.set(name, 0, ex=WINDOW_SECONDS, nx=True)
        pipe.incr(name)
        pipe.pttl(name)
        _, count, pttl = pipe.execute()
    except redis.RedisError:
        log.warning("API key rate limit: Redis unavailable, counting in this process")
        return None
    return int(count), max(int(pttl), 0) / 1000
