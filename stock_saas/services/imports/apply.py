"""Running an import: read the file, plan it, and (unless a dry run) apply it as one
transaction that writes nothing while any row has an error.

Missing departments, categories and items are created through the catalogue, quantities
and thresholds are set through the stock domain's guarded write path (one ``import``
audit row per level that changes, delta = new - old). The plan is made again inside the
write transaction, so the counts describe what was really applied.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Callable, Iterator

from sqlmodel import Session

from stock_saas.db import read_session, write_session
from stock_saas.models import Category, Department, MovementAction
from stock_saas.services import catalog, events, stock
from stock_saas.services.catalog import ItemRecord, NewItem
from stock_saas.services.core import Context, Role, View, require_role, utcnow
from stock_saas.services.imports.plan import (
    MAX_PREVIEW,
    ImportPlan,
    LevelChange,
    load_catalogue,
    plan_rows,
)
from stock_saas.services.imports.reader import RowError, read_rows

__all__ = ["MAX_PREVIEW", "ImportResult", "Progress", "import_stock"]

Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)


class ImportResult(View):
    """What an import found (dry run) or did."""

    dry_run: bool
    applied: bool
    created: int
    updated: int
    unchanged: int
    new_items: int
    new_departments: int
    new_categories: int
    errors: list[RowError]
    changes: list[LevelChange]


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector: an import makes a few hundred thousand small
    objects that hold no cycles, and the collector's passes over them cost more than the
    import itself (3x on 100,000 rows). Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_stock(
    *, ctx: Context, data: bytes, dry_run: bool, progress: Progress | None = None
) -> ImportResult:
    """Import a CSV file (``name,department,category,quantity,threshold,barcode``, any
    order) into the tenant (manager). A dry run, or a file with any error, writes nothing.
    TooLarge beyond 20 MB or 100,000 rows."""
    require_role(ctx, Role.MANAGER)
    with _without_cycle_collection():
        return _import(ctx, data, dry_run, progress)


def _import(ctx: Context, data: bytes, dry_run: bool, progress: Progress | None) -> ImportResult:
    report = progress or (lambda _stage, _fraction: None)
    lines = max(1, data.count(b"\n"))
    rows, errors = read_rows(data, lambda done: report("reading", 0.4 * done / lines))
    report("checking", 0.4)
    if dry_run or errors:
        with read_session() as session:
            plan = plan_rows(load_catalogue(session, ctx), rows)
        return _result(plan, errors, dry_run=dry_run, applied=False)
    with write_session() as session:
        plan = plan_rows(load_catalogue(session, ctx), rows)
        if plan.errors:
            return _result(plan, errors, dry_run=False, applied=False)
        report("writing", 0.5)
        _apply(session, ctx, plan)
    report("done", 1.0)
    return _result(plan, errors, dry_run=False, applied=True)


def _result(
    plan: ImportPlan, errors: list[RowError], *, dry_run: bool, applied: bool
) -> ImportResult:
    every = sorted([*errors, *plan.errors], key=lambda e: (e.row, e.column))
    return ImportResult(
        dry_run=dry_run,
        applied=applied,
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        new_items=plan.new_items,
        new_departments=len(plan.new_departments),
        new_categories=len(plan.new_categories),
        errors=every,
        changes=plan.changes,
    )


def _apply(session: Session, ctx: Context, plan: ImportPlan) -> None:
    departments = catalog.named_ids(session, ctx, Department, plan.new_departments.values())
    categories = catalog.named_ids(session, ctx, Category, plan.new_categories.values())

    def category_id(name: str | None, current: int | None) -> int | None:
        return current if name is None else categories[name.casefold()][0]

    new = [
        NewItem(i.name, i.barcode, category_id(i.category, None)) for i in plan.items if not i.id
    ]
    created = catalog.create_items(session, ctx, new)
    catalog.update_items(
        session,
        ctx,
        [
            ItemRecord(i.id, i.name, i.barcode, category_id(i.category, i.current_category_id))
            for i in plan.items
            if i.id is not None and i.changed
        ],
    )
    targets = []
    for level in plan.levels:
        item, row = level.item, level.row
        dept_id, dept_name = departments[level.department.casefold()]
        targets.append(
            stock.LevelTarget(
                item_id=item.id if item.id is not None else created[item.name],
                item_name=item.name,
                department_id=dept_id,
                department_name=dept_name,
                quantity=row.quantity,
                threshold=row.threshold,
            )
        )
    import_id = uuid.uuid4().hex
    done = stock.set_levels(
        session, ctx, targets, action=MovementAction.IMPORT,
        note=f"{events.IMPORT_NOTE_PREFIX}{import_id}",
    )  # fmt: skip
    if done.last_audit_id is not None:
        # One event for the whole import: dashboards reload once, alerts sweep once.
        imported = events.StockImported(
            tenant_id=ctx.tenant_id,
            import_id=import_id,
            audit_id=done.last_audit_id,
            levels=done.changed,
            source=ctx.source.value,
            actor=ctx.actor_name,
            created_at=utcnow().isoformat(),
        )
        events.emit(session, imported)
