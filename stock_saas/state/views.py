"""Plain records the pages render, and the one helper that builds them from the services'
views (state vars must be serialisable and never ``None`` where a page shows text)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

__all__ = ["CategoryLine", "DepartmentLine", "HistoryLine", "StockLine", "line_of", "short_time"]

L = TypeVar("L")


def short_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def line_of(cls: type[L], view: Any, **overrides: Any) -> L:
    """A ``cls`` row from a service view: same-named fields are copied (``None`` keeps the
    row's default, times become text, enums their value); ``overrides`` win."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = overrides.get(field.name, getattr(view, field.name, None))
        if value is None:
            continue
        if isinstance(value, datetime):
            value = short_time(value)
        elif isinstance(value, Enum):
            value = value.value
        values[field.name] = value
    return cls(**values)


@dataclasses.dataclass
class StockLine:
    """One stock level (an item in a department) as the table shows it; ``id`` is the
    stock level's."""

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


@dataclasses.dataclass
class DepartmentLine:
    id: int = 0
    name: str = ""
    is_default: bool = False
    item_count: int = 0
    low_count: int = 0


@dataclasses.dataclass
class CategoryLine:
    id: int = 0
    name: str = ""
    item_count: int = 0


@dataclasses.dataclass
class HistoryLine:
    """One audit entry, formatted for a table (``created_at`` as text)."""

    id: int = 0
    created_at: str = ""
    item_name: str = ""
    department_name: str = ""
    action: str = ""
    delta: int = 0
    quantity_after: int = 0
    threshold: int = 0
    actor_name: str = ""
    source: str = ""
    note: str = ""
    reason: str = ""  # why an adjust changed the level
