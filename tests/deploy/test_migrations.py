"""The migrations build exactly the schema the models declare, on both databases.

Several people add tables and columns at once; a column declared on a model but missing
from its migration (or the reverse) would only show on a fresh deployment. Autogenerate's
comparison, run against a database migrated to head, must find nothing to do.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import stock_saas.models  # noqa: F401  (every table on the metadata)
from stock_saas import db
from stock_saas.migrations import alembic_config

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


def _audit_indexes(url: str) -> dict[str, list[str | None]]:
    with db.get_engine(url).connect() as connection:
        found = inspect(connection).get_indexes("audit_log")
    return {str(index["name"]): list(index["column_names"]) for index in found}


def test_audit_listing_indexes_upgrade_and_downgrade(database: str) -> None:
    """0017 keys each audit filter by time; going back restores the id-keyed indexes."""
    listing = {
        "ix_audit_log_tenant_department": ["tenant_id", "department_id", "created_at"],
        "ix_audit_log_tenant_action": ["tenant_id", "action", "created_at"],
        "ix_audit_log_tenant_reason": ["tenant_id", "reason", "created_at"],
    }
    at_head = _audit_indexes(database)
    assert listing.items() <= at_head.items()
    assert "ix_audit_log_tenant_item" not in at_head
    command.downgrade(alembic_config(database), "0016_tenant_require_two_factor")
    before = _audit_indexes(database)
    assert before["ix_audit_log_tenant_item"] == ["tenant_id", "item_id", "id"]
    assert before["ix_audit_log_tenant_reason"] == ["tenant_id", "reason", "id"]
    assert not {"ix_audit_log_tenant_department", "ix_audit_log_tenant_action"} & before.keys()
    command.upgrade(alembic_config(database), "head")
    assert _audit_indexes(database) == at_head
