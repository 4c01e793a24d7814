"""barcode_counters: the per-tenant number behind generated barcodes (SS-000123)

Revision ID: 0011_barcode_counters
Revises: 0010_merge_usage_and_notified
Create Date: 2026-12-02 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_barcode_counters"
down_revision: str | None = "0010_merge_usage_and_notified"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "barcode_counters",
        sa.Column(
            "tenant_id",
            ID,
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("barcode_counters")
