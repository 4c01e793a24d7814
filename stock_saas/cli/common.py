"""What every command shares: argument types, the low-stock warning line, a progress line
on stderr, and writing an output file that never exists half-written."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from stock_saas.services.core import Context
from stock_saas.services.stock import StockChange

__all__ = [
    "Runner",
    "output_file",
    "progress_line",
    "quantity",
    "warn_if_low",
    "warning",
]

Runner = Callable[[Context, argparse.Namespace], None]


def quantity(text: str) -> int:
    """A whole, non-negative number (argparse type: anything else is a usage error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def warning(name: str, department: str, quantity: int, threshold: int) -> str:
    return f"WARNING: {name} in {department} is below its threshold ({quantity} < {threshold})"


def warn_if_low(change: StockChange) -> None:
    if change.low:
        print(
            warning(change.name, change.department, change.quantity, change.threshold),
            file=sys.stderr,
        )


def progress_line(label: str) -> Callable[[int, int], None]:
    """``progress(done, total)`` that rewrites one ``label: done/total (p%)`` line on stderr."""

    def progress(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        print(f"\r{label}: {done}/{total} rows ({percent}%)", end="", file=sys.stderr)

    return progress


@contextlib.contextmanager
def output_file(path: str | None) -> Iterator[TextIO]:
    """stdout when ``path`` is None; else a temporary file beside ``path`` that replaces it
    only when the block completes (no half-written FILE on failure)."""
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    part = target.with_name(f".{target.name}.part")
    try:
        with part.open("w", newline="", encoding="utf-8") as out:
            yield out
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
