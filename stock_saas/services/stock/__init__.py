"""Stock: the quantity of each item in each department, every movement guarded and
audited, and the paged listings of it.

- :mod:`.movements`: add/restock, issue, return, transfer, thresholds;
- :mod:`.adjustments`: adjust to a counted quantity or by a signed change, with a reason;
- :mod:`.write_path`: the one guarded UPDATE + audit INSERT they all go through
  (:mod:`.fast_path`: the same as one statement on PostgreSQL);
- :mod:`.bulk`: many levels set at once through the same guarded, audited path;
- :mod:`.changes`: what a movement returns and the events it publishes;
- :mod:`.queries`: the server-side paged, filtered, sorted listing.
"""

from stock_saas.models import AdjustReason, MovementAction
from stock_saas.services.stock.adjustments import (
    WRITE_OFF_REASONS,
    adjust_stock,
    apply_adjustment,
)
from stock_saas.services.stock.bulk import LevelsSet, LevelTarget, set_levels
from stock_saas.services.stock.changes import StockChange, Transfer
from stock_saas.services.stock.movements import (
    add_stock,
    issue_stock,
    restock,
    return_stock,
    set_threshold,
    transfer_stock,
)
from stock_saas.services.stock.queries import (
    MAX_PAGE,
    StockPage,
    StockRow,
    StockSort,
    list_stock,
    low_stock_items,
)

__all__ = [
    "MAX_PAGE",
    "WRITE_OFF_REASONS",
    "AdjustReason",
    "LevelTarget",
    "LevelsSet",
    "MovementAction",
    "StockChange",
    "StockPage",
    "StockRow",
    "StockSort",
    "Transfer",
    "add_stock",
    "adjust_stock",
    "apply_adjustment",
    "issue_stock",
    "list_stock",
    "low_stock_items",
    "restock",
    "return_stock",
    "set_levels",
    "set_threshold",
    "transfer_stock",
]
