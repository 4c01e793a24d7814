"""Plain records the pages render (state vars must be serialisable, never table rows)."""

from __future__ import annotations

import dataclasses

from stock_saas.services.audit import AuditEntry
from stock_saas.services.catalog import CategoryView, DepartmentView
from stock_saas.services.stock_queries import StockRow

__all__ = ["CategoryLine", "DepartmentLine", "HistoryLine", "StockLine"]


@dataclasses.dataclass
class StockLine:
    """One stock level (an item in a department) as the table shows it."""

    id: int = 0
    item_id: int = 0
    name: str = ""
    barcode: str = ""
    category_id: int = 0
    category: str = ""
    department_id: int = 0
    department: str = ""
    quantity: int = 0
    threshold: int = 0
    low: bool = False

    @classmethod
    def of(cls, row: StockRow) -> StockLine:
        return cls(
            row.stock_level_id,
            row.item_id,
            row.name,
            row.barcode or "",
            row.category_id or 0,
            row.category or "",
            row.department_id,
            row.department,
            row.quantity,
            row.threshold,
            row.low,
        )


@dataclasses.dataclass
class DepartmentLine:
    id: int = 0
    name: str = ""
    is_default: bool = False
    item_count: int = 0
    low_count: int = 0

    @classmethod
    def of(cls, view: DepartmentView) -> DepartmentLine:
        return cls(view.id, view.name, view.is_default, view.item_count, view.low_count)


@dataclasses.dataclass
class CategoryLine:
    id: int = 0
    name: str = ""
    item_count: int = 0

    @classmethod
    def of(cls, view: CategoryView) -> CategoryLine:
        return cls(view.id, view.name, view.item_count)


@dataclasses.dataclass
class HistoryLine:
    """One audit entry, formatted for a table."""

    id: int = 0
    at: str = ""
    item: str = ""
    department: str = ""
    action: str = ""
    delta: int = 0
    quantity_after: int = 0
    threshold: int = 0
    actor: str = ""
    source: str = ""
    note: str = ""

    @classmethod
    def of(cls, entry: AuditEntry) -> HistoryLine:
        return cls(
            entry.id,
            entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.item_name,
            entry.department_name,
            entry.action,
            entry.delta,
            entry.quantity_after,
            entry.threshold,
            entry.actor_name,
            entry.source,
            entry.note,
        )
