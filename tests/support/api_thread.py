"""The REST API under a real uvicorn server in a thread, as ``uvicorn --factory`` runs it
(its logging set up first, then ``create_app``), for tests that need what only a server
does: access logs, proxy headers, a real client address."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.support.ports import free_port

__all__ = ["SECURITY_PORTS", "serving_api"]

SECURITY_PORTS = range(8600, 8700)  # the security suite's share of the test ports
START_SECONDS = 30.0  # an upper bound for "started", never a speed requirement


@contextmanager
def serving_api(**options: Any) -> Iterator[str]:
    """The API on 127.0.0.1 (a free port of SECURITY_PORTS); yields its base URL.

    ``options`` go to ``uvicorn.Config`` (e.g. ``proxy_headers=False``, ``access_log=True``).
    """
    port = free_port(SECURITY_PORTS, shuffle=True)
    config = uvicorn.Config(
        "stock_saas.api.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        timeout_graceful_shutdown=1,
        **{"log_level": "warning", **options},
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
