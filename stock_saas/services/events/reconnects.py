"""Who hears that the transport's listener connected again after losing its connection.

Redis pub/sub and NOTIFY do not keep what was published while nobody listened, so a
consumer that shows live state (the dashboards) re-reads it when :func:`on_reconnect`
calls it. The audit tail never needs this: it resumes from the last id it read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

__all__ = ["Connected", "connection_watch", "off_reconnect", "on_reconnect"]

log = logging.getLogger(__name__)

Connected = Callable[[], None]  # a listener calls it each time it has (re)subscribed
_callbacks: list[Callable[[], None]] = []
_lock = threading.Lock()


def on_reconnect(callback: Callable[[], None]) -> None:
    """Call ``callback`` (from the listener thread; be quick) after every reconnection."""
    with _lock:
        if callback not in _callbacks:
            _callbacks.append(callback)


def off_reconnect(callback: Callable[[], None]) -> None:
    with _lock:
        if callback in _callbacks:
            _callbacks.remove(callback)


def connection_watch() -> Connected:
    """What a listener calls each time it has (re)subscribed: the first call is the
    start, every later one a reconnection that the callbacks hear of."""
    connections = 0

    def connected() -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            return
        with _lock:
            callbacks = list(_callbacks)
        for callback in callbacks:
            try:
                callback()
            except Exception:  # one broken consumer must not starve the others
                log.exception("reconnect callback %r failed", callback)

    return connected
