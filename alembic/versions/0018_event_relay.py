"""event_relay: catalog changes cross processes on the embedded transport

The audit tail carries stock events between processes on SQLite without Redis, but a
department or category change writes no audit row. Its (internal) bus message goes
through this small table instead, which every listener tails by id; rows older than a
few minutes are deleted by the next publisher. Created on PostgreSQL too (unused there:
NOTIFY or Redis carry the same message), so both databases keep one schema.

Revision ID: 0018_event_relay
Revises: 0017_audit_listing_indexes
Create Date: 2026-12-02 06:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_event_relay"
down_revision: str | None = "0017_audit_listing_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_relay",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_relay")
