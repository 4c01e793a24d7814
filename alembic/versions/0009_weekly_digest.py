"""weekly reorder digest: tenant time zone, per-user opt-in, digest notifications

- ``tenants.time_zone`` (IANA name, default UTC): the digest goes out on Monday at 07:00
  in it;
- ``users.weekly_digest`` (default off): a manager or admin asked for the digest;
- ``notifications`` carries digests beside alerts, through the same delivery and retry
  rules: ``kind`` (alert | digest), ``period`` (the ISO week, e.g. 2026-W48) unique per
  user so a week's digest can exist once, ``subject``; a digest has no episode, item or
  department, so those become nullable; ``message`` becomes TEXT (a digest lists up to 20
  stock levels).

Revision ID: 0009_weekly_digest
Revises: 0008_usage_indexes
Create Date: 2026-11-26 09:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_weekly_digest"
down_revision: str | None = "0008_usage_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column(
        "tenants",
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
    )
    op.add_column(
        "users",
        sa.Column("weekly_digest", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(8), nullable=False, server_default="alert")
        )
        batch.add_column(sa.Column("period", sa.String(10), nullable=True))
        batch.add_column(sa.Column("subject", sa.String(200), nullable=False, server_default=""))
        batch.alter_column("episode_id", existing_type=ID, nullable=True)
        batch.alter_column("item_id", existing_type=ID, nullable=True)
        batch.alter_column("department_id", existing_type=ID, nullable=True)
        batch.alter_column(
            "message", existing_type=sa.String(1000), type_=sa.Text(), existing_nullable=False
        )
        batch.create_unique_constraint("uq_notifications_user_period", ["user_id", "period"])


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind <> 'alert'")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("uq_notifications_user_period", type_="unique")
        batch.alter_column(
            "message", existing_type=sa.Text(), type_=sa.String(1000), existing_nullable=False
        )
        batch.alter_column("department_id", existing_type=ID, nullable=False)
        batch.alter_column("item_id", existing_type=ID, nullable=False)
        batch.alter_column("episode_id", existing_type=ID, nullable=False)
        batch.drop_column("subject")
        batch.drop_column("period")
        batch.drop_column("kind")
    op.drop_column("users", "weekly_digest")
    op.drop_column("tenants", "time_zone")
