"""Slack incoming webhook (SLACK_WEBHOOK_URL).

At most one message per SLACK_MIN_INTERVAL_SECONDS (default 1 s, Slack's documented
limit for a webhook) per worker process; run the deliveries on one worker process or
accept N/s for N processes. A 429 answer's ``Retry-After`` pauses every Slack delivery
of this process for that long; the row is rescheduled for then, not counted as a
failed attempt.
"""

from __future__ import annotations

import threading
import time

import httpx

from stock_saas.config import get_settings
from stock_saas.services.alerts import Delivery, DeliveryFailed

__all__ = ["send", "slack_escaped"]

TIMEOUT_SECONDS = 10.0
DEFAULT_RETRY_AFTER = 30.0

_lock = threading.Lock()
# Per webhook URL, in monotonic time: when the next post may start, and until when Slack
# told us to wait.
_next_slot: dict[str, float] = {}
_paused_until: dict[str, float] = {}


def _take_slot(url: str, interval: float) -> None:
    with _lock:
        now = time.monotonic()
        paused = _paused_until.get(url, 0.0)
        if now < paused:
            raise DeliveryFailed("Slack asked us to slow down (429).", retry_after=paused - now)
        slot = _next_slot.get(url, 0.0)
        if slot > now:
            time.sleep(slot - now)
        _next_slot[url] = time.monotonic() + interval


def _pause(url: str, seconds: float) -> None:
    with _lock:
        _paused_until[url] = max(_paused_until.get(url, 0.0), time.monotonic() + seconds)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(float(response.headers.get("Retry-After", DEFAULT_RETRY_AFTER)), 1.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER


def slack_escaped(text: str) -> str:
    """``text`` with Slack's control characters escaped, so a name such as ``<!channel>``
    is shown as written instead of notifying a whole channel (Slack: "Escaping text")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send(delivery: Delivery) -> None:
    """Post one message addressed to the recipient by name."""
    settings = get_settings()
    if not settings.slack_webhook_url:
        raise DeliveryFailed("SLACK_WEBHOOK_URL is not set.", permanent=True)
    url = settings.slack_webhook_url
    _take_slot(url, settings.slack_min_interval_seconds)
    payload = {"text": f"@{slack_escaped(delivery.username)} {slack_escaped(delivery.text)}"}
    try:
        response = httpx.post(url, json=payload, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc
    if response.status_code == 429:
        wait = _retry_after(response)
        _pause(url, wait)
        raise DeliveryFailed(f"Slack answered 429; retry after {wait:g} s.", retry_after=wait)
    if response.status_code >= 300:
        raise DeliveryFailed(
            f"Slack answered {response.status_code}: {response.text[:200]}",
            permanent=response.status_code == 400,  # our payload is wrong: retrying won't help
        )
