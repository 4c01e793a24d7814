"""alert_episodes.notified_at: the sweep writes an episode's rows once, then skips it

The set-based sweep writes notification rows for open episodes not yet notified and
stamps them; a partial index holds only those (open, unnotified), so a steady sweep's
notify step reads nothing instead of probing the notifications of every open episode.
Episodes that already have rows are stamped here.

Revision ID: 0008_alert_episodes_notified
Revises: 0007_stock_counts
Create Date: 2026-12-02 01:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_alert_episodes_notified"
down_revision: str | None = "0007_stock_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNNOTIFIED = "closed_at IS NULL AND notified_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("alert_episodes") as batch_op:
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE alert_episodes SET notified_at = opened_at WHERE EXISTS"
        " (SELECT 1 FROM notifications n WHERE n.episode_id = alert_episodes.id)"
    )
    op.create_index(
        "ix_alert_episodes_unnotified",
        "alert_episodes",
        ["tenant_id"],
        postgresql_where=sa.text(UNNOTIFIED),
        sqlite_where=sa.text(UNNOTIFIED),
    )


def downgrade() -> None:
    op.drop_index("ix_alert_episodes_unnotified", table_name="alert_episodes")
    with op.batch_alter_table("alert_episodes") as batch_op:
        batch_op.drop_column("notified_at")
