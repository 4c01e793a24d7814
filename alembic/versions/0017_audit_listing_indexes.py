"""the audit listing by time: one index per filter, each ending in created_at

The audit log is listed newest first by (created_at, id) (issue 18, item 5; measured with
bench/audit_log.py at 10,000,000 rows, 5,000,000 in one tenant). Each filter the /audit
page and GET /api/audit/logs offer is then one range of an index that leads with
(tenant_id, the filtered column, created_at), read backwards from the page's start:

- ``ix_audit_log_tenant_department`` (tenant, department, created_at) INCLUDE (action,
  id): a department's entries (alone, with a period or a date range); on PostgreSQL a
  department with an action is counted, and its page's ids chosen, from the index alone;
- ``ix_audit_log_tenant_action`` (tenant, action, created_at) INCLUDE (department_id,
  id): an action's entries, likewise;
- ``ix_audit_log_tenant_reason`` is re-keyed (tenant, reason, created_at) INCLUDE (action),
  still partial (only adjusts carry a reason, so the movement path never writes it);
  the count of a reason with its action (/audit may send both) is then index-only;
- ``ix_audit_log_tenant_item`` (tenant, item, id) goes: an item's entries by time are
  ``ix_audit_log_item_created`` (tenant, item, created_at), which the usage reports
  already keep, so each movement writes one index less than it would otherwise.

The unfiltered listing and the periods use ``ix_audit_log_tenant_created``, unchanged.
On PostgreSQL the indexes are built CONCURRENTLY (the audit log keeps taking writes);
SQLite gets the same keys without INCLUDE.

Revision ID: 0017_audit_listing_indexes
Revises: 0016_tenant_require_two_factor
Create Date: 2026-12-02 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_audit_listing_indexes"
down_revision: str | None = "0016_tenant_require_two_factor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_log"
REASON = "ix_audit_log_tenant_reason"
SUCCESSOR = "ix_audit_log_tenant_reason_new"
PARTIAL = {
    "postgresql_where": sa.text("reason IS NOT NULL"),
    "sqlite_where": sa.text("reason IS NOT NULL"),
}


def _swap_reason_index(postgres: bool, keys: list[str], include: list[str]) -> None:
    """Re-key the partial reason index; on PostgreSQL the old one is dropped only once
    its successor is ready (CONCURRENTLY both), SQLite rebuilds it in place."""
    if not postgres:
        op.drop_index(REASON, table_name=TABLE)
        op.create_index(REASON, TABLE, keys, **PARTIAL)  # type: ignore[arg-type]
        return
    op.create_index(
        SUCCESSOR,
        TABLE,
        keys,
        postgresql_concurrently=True,
        postgresql_include=include,
        **PARTIAL,  # type: ignore[arg-type]
    )
    op.drop_index(REASON, table_name=TABLE, postgresql_concurrently=True)
    op.execute(f"ALTER INDEX {SUCCESSOR} RENAME TO {REASON}")


def _create(postgres: bool, name: str, keys: list[str], include: list[str] | None = None) -> None:
    if postgres:
        op.create_index(
            name, TABLE, keys, postgresql_include=include or [], postgresql_concurrently=True
        )
    else:
        op.create_index(name, TABLE, keys)


def _drop(postgres: bool, name: str) -> None:
    op.drop_index(name, table_name=TABLE, postgresql_concurrently=postgres)


def _apply(upgrading: bool) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if upgrading:
        _create(postgres, "ix_audit_log_tenant_department",
                ["tenant_id", "department_id", "created_at"], ["action", "id"])  # fmt: skip
        _create(postgres, "ix_audit_log_tenant_action",
                ["tenant_id", "action", "created_at"], ["department_id", "id"])  # fmt: skip
        _swap_reason_index(postgres, ["tenant_id", "reason", "created_at"], ["action"])
        _drop(postgres, "ix_audit_log_tenant_item")
    else:
        _create(postgres, "ix_audit_log_tenant_item", ["tenant_id", "item_id", "id"])
        _swap_reason_index(postgres, ["tenant_id", "reason", "id"], [])
        _drop(postgres, "ix_audit_log_tenant_action")
        _drop(postgres, "ix_audit_log_tenant_department")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            _apply(upgrading=True)
    else:
        _apply(upgrading=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            _apply(upgrading=False)
    else:
        _apply(upgrading=False)
