"""Imports in the background: a job row per upload that any worker can report on.

:func:`start_import` records the job (pending) and answers its task id at once; the
front door then calls :func:`run_import_job` off the request (the API in a background
task), which keeps the job's status and progress current and stores the outcome.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from sqlmodel import col

from stock_saas.db import read_session, write_session
from stock_saas.errors import NotFound, StockSaasError
from stock_saas.models import ImportJob, ImportStatus
from stock_saas.services.core import (
    Context,
    Role,
    find_scoped,
    require_role,
    scoped_update,
    utcnow,
)
from stock_saas.services.imports.apply import ImportResult, import_stock
from stock_saas.services.imports.plan import LevelChange
from stock_saas.services.imports.reader import RowError, check_size

__all__ = ["ImportStatus", "ImportStatusView", "import_status", "run_import_job", "start_import"]

log = logging.getLogger(__name__)
_PROGRESS_EVERY_SECONDS = 0.5


class ImportStatusView(ImportResult):
    """An import as ``GET /api/items/import/{task_id}`` shows it: its outcome so far."""

    task_id: str
    status: ImportStatus
    progress: float  # percent, 0-100
    detail: str | None


# The outcome's numbers, stored in columns of the same names.
_FIGURES = frozenset(
    {"dry_run", "applied", "created", "updated", "unchanged", "new_items", "new_departments",
     "new_categories"}
)  # fmt: skip


def start_import(*, ctx: Context, size: int, dry_run: bool) -> str:
    """Record a pending import of a ``size``-byte file and answer its task id (manager;
    TooLarge beyond 20 MB)."""
    require_role(ctx, Role.MANAGER)
    check_size(size)
    task_id = uuid.uuid4().hex
    with write_session() as session:
        session.add(
            ImportJob(
                tenant_id=ctx.tenant_id, task_id=task_id, requested_by=ctx.user_id, dry_run=dry_run
            )
        )
    return task_id


def _update(ctx: Context, task_id: str, **values: object) -> None:
    with write_session() as session:
        session.execute(
            scoped_update(ctx, ImportJob).where(col(ImportJob.task_id) == task_id).values(**values)
        )


def run_import_job(*, ctx: Context, task_id: str, data: bytes) -> None:
    """Run the recorded import ``task_id`` on ``data`` and store its outcome (a failure
    becomes status ``failed`` with a plain detail; nothing was written then)."""
    with read_session() as session:
        job = find_scoped(session, ctx, ImportJob, task_id=task_id)
    if job is None:
        raise NotFound(f"No import {task_id!r}.")
    _update(ctx, task_id, status=ImportStatus.RUNNING.value)
    last = time.monotonic()

    def progress(_stage: str, fraction: float) -> None:
        nonlocal last
        if time.monotonic() - last >= _PROGRESS_EVERY_SECONDS:
            last = time.monotonic()
            _update(ctx, task_id, progress=round(100 * fraction, 1))

    try:
        result = import_stock(ctx=ctx, data=data, dry_run=job.dry_run, progress=progress)
    except StockSaasError as exc:
        _finish(ctx, task_id, ImportStatus.FAILED, detail=exc.detail[:500])
        return
    except Exception:
        log.exception("import %s failed", task_id)
        _finish(ctx, task_id, ImportStatus.FAILED, detail="The import failed; nothing was written.")
        return
    _finish(ctx, task_id, ImportStatus.DONE, result=result)


def _finish(
    ctx: Context,
    task_id: str,
    status: ImportStatus,
    *,
    result: ImportResult | None = None,
    detail: str | None = None,
) -> None:
    values: dict[str, object] = {"status": status.value, "progress": 100.0, "finished_at": utcnow()}
    if detail is not None:
        values["detail"] = detail
    if result is not None:
        values.update(
            result.model_dump(include=set(_FIGURES - {"dry_run"})),
            errors=json.dumps([e.model_dump() for e in result.errors]),
            changes=json.dumps([c.model_dump() for c in result.changes]),
        )
    _update(ctx, task_id, **values)


def import_status(*, ctx: Context, task_id: str) -> ImportStatusView:
    """Where the import ``task_id`` of the tenant stands (manager; NotFound otherwise)."""
    require_role(ctx, Role.MANAGER)
    with read_session() as session:
        job = find_scoped(session, ctx, ImportJob, task_id=task_id)
    if job is None:
        raise NotFound(f"No import {task_id!r}.")
    return ImportStatusView(
        task_id=job.task_id,
        status=ImportStatus(job.status),
        progress=job.progress,
        detail=job.detail,
        errors=[RowError(**e) for e in json.loads(job.errors)],
        changes=[LevelChange(**c) for c in json.loads(job.changes)],
        **{name: getattr(job, name) for name in _FIGURES},
    )
