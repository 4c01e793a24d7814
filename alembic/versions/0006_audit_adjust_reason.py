"""audit_log.reason: why an adjust changed stock (counted, damaged, expired, ...)

Only ``adjust`` rows carry a reason; every other movement leaves it NULL. The index that
serves "the audit log filtered by reason" is partial (``reason IS NOT NULL``), so the
issue/return hot path, whose rows have no reason, never writes to it.

Revision ID: 0006_audit_adjust_reason
Revises: 0005_users_token_version
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_adjust_reason"
down_revision: str | None = "0005_users_token_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_audit_log_tenant_reason"


def upgrade() -> None:
    # A nullable column without a default: instant on PostgreSQL, no table rewrite.
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("reason", sa.String(16), nullable=True))
    op.create_index(
        INDEX,
        "audit_log",
        ["tenant_id", "reason", "id"],
        postgresql_where=sa.text("reason IS NOT NULL"),
        sqlite_where=sa.text("reason IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("reason")
