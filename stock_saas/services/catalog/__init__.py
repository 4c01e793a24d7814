"""The catalogue of one tenant: departments, categories and items."""

from stock_saas.services.catalog.bulk import (
    ItemRecord,
    NewItem,
    create_items,
    item_records,
    named_ids,
    update_items,
)
from stock_saas.services.catalog.counts import department_counts, fold_counts
from stock_saas.services.catalog.items import ItemView, get_item, lookup_barcode, update_item
from stock_saas.services.catalog.lookups import (
    DepartmentRef,
    ItemRef,
    ensure_named,
    resolve_category,
    resolve_department,
    resolve_item,
)
from stock_saas.services.catalog.named import (
    CatalogChanged,
    CategoryView,
    DepartmentView,
    create_category,
    create_department,
    delete_category,
    delete_department,
    list_categories,
    list_departments,
    rename_category,
    rename_department,
    unique_name_guard,
)

__all__ = [
    "department_counts",
    "fold_counts",
    "CatalogChanged",
    "CategoryView",
    "ItemRecord",
    "NewItem",
    "create_items",
    "item_records",
    "named_ids",
    "update_items",
    "DepartmentRef",
    "DepartmentView",
    "ItemRef",
    "ItemView",
    "create_category",
    "create_department",
    "delete_category",
    "delete_department",
    "ensure_named",
    "get_item",
    "list_categories",
    "list_departments",
    "lookup_barcode",
    "rename_category",
    "rename_department",
    "resolve_category",
    "resolve_department",
    "resolve_item",
    "unique_name_guard",
    "update_item",
]
