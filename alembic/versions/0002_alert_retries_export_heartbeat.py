"""alert delivery retries, episode audit position, export heartbeat

Revision ID: 0002_alert_retries
Revises: 0001_initial
Create Date: 2026-11-25 11:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_alert_retries"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("alert_episodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_audit_id", ID, nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_notifications_due", ["tenant_id", "status", "next_attempt_at"], unique=False
        )
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_due")
        batch_op.drop_column("next_attempt_at")
    with op.batch_alter_table("alert_episodes", schema=None) as batch_op:
        batch_op.drop_column("opened_audit_id")
