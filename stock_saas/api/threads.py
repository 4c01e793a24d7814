"""Blocking service calls from ``async`` routes: a plain thread pool, cheaper per call than
``starlette.concurrency.run_in_threadpool``.

anyio's hand-off (a capacity limiter, a cancel scope, a Python ``queue.Queue`` per worker
thread) was a tenth of the API's busy time on the issue path; ``loop.run_in_executor``
with a ``ThreadPoolExecutor`` wakes a thread through a C ``SimpleQueue``. The call runs in
a copy of the caller's context, so the request id stays bound for its log lines. Like
anyio's, the call is not interrupted when the request is cancelled: it finishes (and its
transaction commits or rolls back) in its thread.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["MAX_THREADS", "in_thread"]

MAX_THREADS = 40  # anyio's default, and the size of the database pool (20 + 20 overflow)
P = ParamSpec("P")
T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="api")
    return _executor


def _forget_after_fork() -> None:
    global _executor
    _executor = None  # the parent's threads do not exist in a forked child


os.register_at_fork(after_in_child=_forget_after_fork)


async def in_thread(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in a worker thread, awaited."""
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool(), call)
