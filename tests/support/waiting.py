"""Waiting for something to become true: a condition, or a server that answers.

Timeouts are upper bounds for "eventually", never speed requirements.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

__all__ = ["wait_for_http", "wait_until"]


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Poll ``condition`` until it holds; fail the test (not a timing assert) if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what or condition}")
        time.sleep(0.05)


def wait_for_http(
    urls: list[str],
    proc: subprocess.Popen[bytes],
    log: Path,
    *,
    timeout: float,
    what: str = "the app",
) -> None:
    """Wait until every URL in ``urls`` answers 2xx, in order; RuntimeError with the tail
    of ``log`` when ``proc`` exits first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            for url in urls:
                with urllib.request.urlopen(url, timeout=2):
                    pass
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not start in {timeout:.0f}s:\n{log.read_text()[-4000:]}")
