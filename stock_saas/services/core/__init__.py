"""What every domain builds on: who is acting (Context, roles), tenant scoping, input
rules, the clock, paging bounds and keyset cursors."""

from stock_saas.services.core.bulk import CHUNK, insert_rows, one_of, update_rows
from stock_saas.services.core.clock import as_utc, utcnow
from stock_saas.services.core.context import (
    Context,
    Role,
    Source,
    require_person,
    require_role,
)
from stock_saas.services.core.cursors import (
    MAX_CURSOR,
    after_position,
    read_cursor,
    write_cursor,
)
from stock_saas.services.core.paging import check_page
from stock_saas.services.core.scoping import (
    TENANT,
    TenantBatch,
    batch_columns,
    batch_update,
    execute_scoped,
    execute_scoped_sql,
    find_scoped,
    get_scoped,
    insert_all_ignoring_duplicates,
    insert_ignoring_duplicates,
    insert_selected_ignoring_duplicates,
    scoped,
    scoped_columns,
    scoped_rows,
    scoped_template,
    scoped_update,
)
from stock_saas.services.core.validation import (
    MAX_QUANTITY,
    clean_name,
    clean_optional,
    non_negative,
    positive_quantity,
)
from stock_saas.services.core.views import UtcDatetime, View

__all__ = [
    "MAX_CURSOR",
    "CHUNK",
    "insert_rows",
    "one_of",
    "update_rows",
    "MAX_QUANTITY",
    "TENANT",
    "TenantBatch",
    "UtcDatetime",
    "View",
    "Context",
    "Role",
    "Source",
    "after_position",
    "as_utc",
    "batch_columns",
    "batch_update",
    "check_page",
    "clean_name",
    "clean_optional",
    "execute_scoped",
    "execute_scoped_sql",
    "find_scoped",
    "get_scoped",
    "insert_all_ignoring_duplicates",
    "insert_ignoring_duplicates",
    "insert_selected_ignoring_duplicates",
    "non_negative",
    "positive_quantity",
    "read_cursor",
    "require_person",
    "require_role",
    "scoped",
    "scoped_columns",
    "scoped_rows",
    "scoped_template",
    "scoped_update",
    "utcnow",
    "write_cursor",
]
