"""Running a coroutine from a synchronous test.

Playwright's sync API keeps an event loop running on the pytest thread for the whole
session, and xdist puts tests on a worker in any order, so ``asyncio.run`` on that thread
fails ("cannot be called from a running event loop") after any browser test. A coroutine
gets a fresh loop on a thread of its own instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["run_coroutine"]

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` on a thread of its own; its result, or its exception."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
