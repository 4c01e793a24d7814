"""index-only usage reads: the tenant's movements by time and one item's by time

The usage report and the reorder list (services.reports) sum the movements of a time
window. On PostgreSQL both indexes carry what those sums read (INCLUDE), so the plans are
index-only scans of the window and never touch the audit table's heap:

- ``ix_audit_log_tenant_created`` (tenant, created_at) gains INCLUDE (stock_level_id,
  action, delta): the reorder list and the dashboard's figures;
- ``ix_audit_log_item_created`` (tenant, item, created_at) INCLUDE (department_id, action,
  delta): one item's usage and its daily series.

On PostgreSQL the indexes are built CONCURRENTLY (the audit log keeps taking writes while
they build); the old index is replaced only once its successor is ready. SQLite has no
INCLUDE: it keeps its (tenant, created_at) index and gets the item index as keys only.

Revision ID: 0008_usage_indexes
Revises: 0007_stock_counts
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_usage_indexes"
down_revision: str | None = "0007_stock_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_log"
BY_TIME = "ix_audit_log_tenant_created"
BY_ITEM = "ix_audit_log_item_created"
SUCCESSOR = "ix_audit_log_tenant_created_new"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.create_index(BY_ITEM, TABLE, ["tenant_id", "item_id", "created_at"])
        return
    with op.get_context().autocommit_block():
        op.create_index(
            BY_ITEM,
            TABLE,
            ["tenant_id", "item_id", "created_at"],
            postgresql_include=["department_id", "action", "delta"],
            postgresql_concurrently=True,
        )
        op.create_index(
            SUCCESSOR,
            TABLE,
            ["tenant_id", "created_at"],
            postgresql_include=["stock_level_id", "action", "delta"],
            postgresql_concurrently=True,
        )
        op.drop_index(BY_TIME, table_name=TABLE, postgresql_concurrently=True)
        op.execute(f"ALTER INDEX {SUCCESSOR} RENAME TO {BY_TIME}")


def downgrade() -> None:
    op.drop_index(BY_ITEM, table_name=TABLE)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(BY_TIME, table_name=TABLE)
        op.create_index(BY_TIME, TABLE, ["tenant_id", "created_at"])
