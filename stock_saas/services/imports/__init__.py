"""Bringing a store room's data in and out: the stock levels as CSV, and the import of
that same CSV with a dry run, row errors and an all-or-nothing upsert.

- :mod:`.export`: the stock levels in the import's own columns;
- :mod:`.reader`: the file as people really have it, cleaned into rows and row errors;
- :mod:`.plan`: what each row would create or change (the dry run);
- :mod:`.apply`: the import itself, one transaction through catalogue and stock;
- :mod:`.jobs`: imports in the background with status and progress.
"""

from stock_saas.models import ImportStatus
from stock_saas.services.imports.apply import MAX_PREVIEW, ImportResult, Progress, import_stock
from stock_saas.services.imports.export import COLUMNS, write_stock_csv
from stock_saas.services.imports.jobs import (
    ImportStatusView,
    import_status,
    run_import_job,
    start_import,
)
from stock_saas.services.imports.plan import LevelChange
from stock_saas.services.imports.reader import MAX_BYTES, MAX_ROWS, RowError, check_size

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_PREVIEW",
    "MAX_ROWS",
    "ImportResult",
    "ImportStatus",
    "ImportStatusView",
    "LevelChange",
    "Progress",
    "RowError",
    "check_size",
    "import_status",
    "import_stock",
    "run_import_job",
    "start_import",
    "write_stock_csv",
]
