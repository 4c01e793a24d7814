"""What an import would do, row by row, against the catalogue as it is now: which item
each row means, what it creates or changes, and every row that cannot be applied.

Matching: by barcode when the row has one, else by name (case-insensitive, trimmed).
A row whose barcode belongs to an item of another name renames that item, unless the
name belongs to another item ("barcode already on another item"). A row that names an
item with a different barcode is an error: the import never replaces a barcode.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from stock_saas.models import Category, Department, StockLevel
from stock_saas.services import catalog
from stock_saas.services.catalog import ItemRecord
from stock_saas.services.core import Context, View, scoped_columns
from stock_saas.services.imports.reader import ImportRow, RowError

MAX_PREVIEW = 1000  # changes listed in a plan

__all__ = [
    "MAX_PREVIEW",
    "Catalogue",
    "ImportPlan",
    "LevelChange",
    "PlannedItem",
    "load_catalogue",
    "plan_rows",
]


@dataclass(slots=True)
class Catalogue:
    """The tenant's catalogue and stock levels, keyed the way rows match them."""

    departments: dict[str, tuple[int, str]]
    default_department: tuple[int, str]
    categories: dict[str, tuple[int, str]]
    items: list[ItemRecord]
    levels: dict[tuple[int, int], tuple[int, int]]  # (item, department) -> (qty, threshold)
    by_name: dict[str, ItemRecord] = field(init=False)
    by_barcode: dict[str, ItemRecord] = field(init=False)
    category_names: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name, self.by_barcode = {}, {}
        for item in sorted(self.items, key=lambda i: i.id):
            self.by_name.setdefault(item.name.casefold(), item)
            if item.barcode is not None:
                self.by_barcode[item.barcode] = item
        self.category_names = {cid: name.casefold() for cid, name in self.categories.values()}


def load_catalogue(session: Session, ctx: Context) -> Catalogue:
    departments = catalog.named_ids(session, ctx, Department)
    default = catalog.resolve_department(session, ctx, None)
    assert default.id is not None
    levels = {
        (item, dept): (quantity, threshold)
        for item, dept, quantity, threshold in session.execute(
            scoped_columns(
                ctx, StockLevel, StockLevel.item_id, StockLevel.department_id,
                StockLevel.quantity, StockLevel.threshold,
            )
        )
    }  # fmt: skip
    return Catalogue(
        departments=departments,
        default_department=(default.id, default.name),
        categories=catalog.named_ids(session, ctx, Category),
        items=catalog.item_records(session, ctx),
        levels=levels,
    )


@dataclass(slots=True)
class PlannedItem:
    """An item the file touches: an existing one (``id``) or one to create."""

    id: int | None
    name: str
    barcode: str | None
    category: str | None  # the category's name as the file spells it; None keeps it
    first_row: int
    changed: bool = False
    current_category_id: int | None = None


class LevelChange(View):
    """One row's effect on one stock level, as the preview shows it."""

    row: int
    name: str
    department: str
    action: str  # create | update | unchanged
    old_quantity: int | None
    new_quantity: int
    old_threshold: int | None
    new_threshold: int


@dataclass(slots=True)
class LevelPlan:
    item: PlannedItem
    department: str  # as spelled by the file (or the default department's name)
    row: ImportRow


@dataclass(slots=True)
class ImportPlan:
    items: list[PlannedItem] = field(default_factory=list)
    levels: list[LevelPlan] = field(default_factory=list)
    changes: list[LevelChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # casefold name -> the name as the file first spells it
    new_departments: dict[str, str] = field(default_factory=dict)
    new_categories: dict[str, str] = field(default_factory=dict)

    @property
    def new_items(self) -> int:
        return sum(1 for item in self.items if item.id is None)


class _Planner:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.plan = ImportPlan()
        self.items: dict[object, PlannedItem] = {}  # existing id or new name -> item
        self.names: dict[str, object] = {}  # casefold name -> identity of the file's items
        self.barcodes: dict[str, object] = {}
        self.levels: dict[tuple[object, str], int] = {}  # (identity, department) -> row

    def error(self, row: ImportRow, column: str, message: str) -> None:
        self.plan.errors.append(RowError(row=row.row, column=column, message=message))

    def item_of(self, row: ImportRow) -> tuple[object, PlannedItem] | None:
        key = row.name.casefold()
        named = self.cat.by_name.get(key)
        coded = None if row.barcode is None else self.cat.by_barcode.get(row.barcode)
        if coded is not None and coded.name.casefold() != key and named is not None:
            self.error(row, "barcode", f"Barcode {row.barcode!r} is already on another item, "
                       f"{coded.name!r}.")  # fmt: skip
            return None
        if coded is None and named is not None and row.barcode and named.barcode:
            self.error(row, "barcode", f"{named.name!r} already has barcode {named.barcode!r}; "
                       "an import does not replace barcodes.")  # fmt: skip
            return None
        found = coded or named
        identity: object = found.id if found is not None else ("new", key)
        if self.names.setdefault(key, identity) != identity:
            self.error(row, "name", f"Row {self._first(key)} gives this name to another item.")
            return None
        if row.barcode is not None and self.barcodes.setdefault(row.barcode, identity) != identity:
            self.error(row, "barcode", f"Barcode {row.barcode!r} is on another item in this file.")
            return None
        item = self.items.get(identity)
        if item is None:
            item = self.items[identity] = self._new_item(found, row)
            self.plan.items.append(item)
        elif item.name.casefold() != key or (
            item.id is None and row.barcode not in (None, item.barcode)
        ):
            message = f"Row {item.first_row} already describes this item differently."
            self.error(row, "name", message)
            return None
        return identity, item

    def _first(self, key: str) -> int:
        item = self.items.get(self.names[key])
        return item.first_row if item is not None else 0

    def _new_item(self, found: ItemRecord | None, row: ImportRow) -> PlannedItem:
        if found is None:
            return PlannedItem(None, row.name, row.barcode, None, row.row)
        renamed = found.name.casefold() != row.name.casefold()
        gains_barcode = found.barcode is None and row.barcode is not None
        return PlannedItem(
            found.id,
            row.name if renamed else found.name,
            row.barcode if gains_barcode else found.barcode,
            None,
            row.row,
            changed=renamed or gains_barcode,
            current_category_id=found.category_id,
        )

    def category(self, row: ImportRow, item: PlannedItem) -> bool:
        if row.category is None:
            return True
        key = row.category.casefold()
        if item.category is not None and item.category.casefold() != key:
            self.error(row, "category", f"Row {item.first_row} puts this item in "
                       f"{item.category!r}.")  # fmt: skip
            return False
        if item.category is None:
            item.category = row.category
            if key not in self.cat.categories:
                self.plan.new_categories.setdefault(key, row.category)
            if item.id is not None:
                current = self.cat.category_names.get(item.current_category_id or 0)
                item.changed = item.changed or current != key
        return True

    def add(self, row: ImportRow) -> None:
        found = self.item_of(row)
        if found is None or not self.category(row, found[1]):
            return
        identity, item = found
        dept_key = (row.department or self.cat.default_department[1]).casefold()
        dept = self.cat.departments.get(dept_key)
        first = self.levels.setdefault((identity, dept_key), row.row)
        if first != row.row:
            where = row.department or self.cat.default_department[1]
            self.error(row, "name", f"Duplicate row: row {first} already sets {row.name!r} "
                       f"in {where}.")  # fmt: skip
            return
        if dept is None:
            self.plan.new_departments.setdefault(dept_key, row.department or dept_key)
        department = row.department or self.cat.default_department[1]
        self.plan.levels.append(LevelPlan(item, department, row))

    def count(self) -> None:
        for level in self.plan.levels:
            item, row = level.item, level.row
            dept = self.cat.departments.get(level.department.casefold())
            old = None
            if item.id is not None and dept is not None:
                old = self.cat.levels.get((item.id, dept[0]))
            new_q = row.quantity if row.quantity is not None else (old[0] if old else 0)
            new_t = row.threshold if row.threshold is not None else (old[1] if old else 0)
            if old is None:
                action = "create"
                self.plan.created += 1
            elif item.changed or (new_q, new_t) != old:
                action = "update"
                self.plan.updated += 1
            else:
                self.plan.unchanged += 1
                continue
            if len(self.plan.changes) >= MAX_PREVIEW:
                continue  # the counts cover every row; the preview lists the first ones
            self.plan.changes.append(
                LevelChange(
                    row=row.row, name=item.name, department=level.department, action=action,
                    old_quantity=None if old is None else old[0], new_quantity=new_q,
                    old_threshold=None if old is None else old[1], new_threshold=new_t,
                )
            )  # fmt: skip


def plan_rows(cat: Catalogue, rows: list[ImportRow]) -> ImportPlan:
    """The plan of ``rows`` against ``cat``: counts, changes and errors."""
    planner = _Planner(cat)
    for row in rows:
        planner.add(row)
    planner.count()
    return planner.plan
