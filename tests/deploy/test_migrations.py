"""The migrations build exactly the schema the models declare, on both databases.

Several people add tables and columns at once; a column declared on a model but missing
from its migration (or the reverse) would only show on a fresh deployment. Autogenerate's
comparison, run against a database migrated to head, must find nothing to do.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import stock_saas.models  # noqa: F401  (every table on the metadata)
from stock_saas import db

# Expression indexes that only a migration can spell (operator classes, lower(name)):
# they exist on purpose without a twin on the model.
MIGRATION_ONLY_INDEXES = {"ix_items_tenant_lower_name"}


def _meaningful(diff: Any) -> bool:
    if isinstance(diff, tuple) and diff[0] in ("add_index", "remove_index"):
        return diff[1].name not in MIGRATION_ONLY_INDEXES
    return True


def test_migrated_schema_equals_the_models(database: str) -> None:
    with db.get_engine(database).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = [d for d in compare_metadata(context, SQLModel.metadata) if _meaningful(d)]
    assert diffs == [], f"models and migrations disagree: {diffs}"
