"""A running export's lease: short, renewed while the worker lives, fenced.

The worker that claims an export holds it while ``heartbeat_at`` is younger than
EXPORT_LEASE_SECONDS (default 10). A thread renews it every fifth of that, whatever the
export is doing (pinning its snapshot, waiting for the first rows of a big COPY, writing),
and the stream renews it with its progress at most every PROGRESS_SECONDS; so a live
worker never loses its export to a slow step, and a killed one (SIGKILL, power loss)
stops renewing at once: its export is free a lease later, and the scheduler's resume
(every few seconds, and on every worker's start) hands it to a live worker.

The heartbeat value is also the fencing token: every renewal and the final write require
the value this worker wrote last, so a worker presumed dead that wakes up finds its lease
gone at its next renewal, stops, and leaves no file.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.models import Export, ExportStatus
from stock_saas.services.core import Context, scoped_update, utcnow

__all__ = ["Lease", "LostClaim", "PROGRESS_SECONDS"]

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 0.25  # progress written at most this often (one small UPDATE each)
RENEWALS_PER_LEASE = 5


class LostClaim(Exception):
    """Another worker took the export over (this one was presumed dead)."""


class Lease:
    """This worker's hold on one export; renewed by a thread until :meth:`release`."""

    def __init__(self, ctx: Context, task_id: str, fence: datetime, lease_seconds: float) -> None:
        self._ctx, self._task_id, self.fence = ctx, task_id, fence
        self._written = self._total = 0
        self._lost = False
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        interval = max(lease_seconds / RENEWALS_PER_LEASE, 0.1)
        self._thread = threading.Thread(
            target=self._keep, args=(interval,), name=f"export-lease-{task_id}", daemon=True
        )
        self._thread.start()

    def progress(self, written: int, total: int) -> None:
        """From the stream: record progress (written now and then); raises LostClaim."""
        self._written, self._total = written, total
        if self._lost:
            raise LostClaim(self._task_id)
        if time.monotonic() - self._last >= PROGRESS_SECONDS or written >= total:
            self.renew()

    def renew(self) -> None:
        """Write heartbeat and progress now; raises LostClaim if another worker holds it."""
        with self._lock:
            if not self._lost:
                try:
                    self.fence = _heartbeat(
                        self._ctx, self._task_id, self.fence, self._written, self._total
                    )
                except LostClaim:
                    self._lost = True
                self._last = time.monotonic()
        if self._lost:
            raise LostClaim(self._task_id)

    def release(self) -> None:
        """Stop renewing (the export is finished, failed or lost)."""
        self._stop.set()
        self._thread.join()

    def _keep(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.renew()
            except LostClaim:
                return
            except Exception:  # the database blinked: the next renewal tries again
                log.warning("renewing the lease of export %s failed", self._task_id, exc_info=True)


def _heartbeat(ctx: Context, task_id: str, fence: datetime, written: int, total: int) -> datetime:
    beat = max(utcnow(), fence + timedelta(microseconds=1))
    with write_session() as session:
        result = session.execute(
            scoped_update(ctx, Export)
            .where(
                col(Export.task_id) == task_id,
                col(Export.status) == ExportStatus.RUNNING,
                col(Export.heartbeat_at) == fence,
            )
            .values(
                heartbeat_at=beat,
                rows_written=written,
                total_rows=total,
                progress=round(100.0 * written / total, 1) if total else 0.0,
            )
        )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise LostClaim(task_id)
    return beat
