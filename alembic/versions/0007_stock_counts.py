"""stock counts (stocktakes): stock_counts and their stock_count_lines

A count belongs to one department; at most one is open per department (a partial unique
index). A line records what was counted for one item and what the books held at that
moment (``expected``), and once submitted the adjust it caused.

Revision ID: 0007_stock_counts
Revises: 0006_audit_adjust_reason
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_stock_counts"
down_revision: str | None = "0006_audit_adjust_reason"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.DateTime(timezone=True)
OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "stock_counts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("tenant_id", ID, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "department_id",
            ID,
            sa.ForeignKey("departments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("started_by", sa.String(120), nullable=False),
        sa.Column("started_at", STAMP, nullable=False),
        sa.Column("finished_by", sa.String(120), nullable=True),
        sa.Column("finished_at", STAMP, nullable=True),
    )
    op.create_index("ix_stock_counts_tenant_id", "stock_counts", ["tenant_id", "id"])
    op.create_index(
        "uq_stock_counts_open_department",
        "stock_counts",
        ["tenant_id", "department_id"],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_table(
        "stock_count_lines",
        sa.Column("id", ID, primary_key=True),
        sa.Column("tenant_id", ID, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "count_id", ID, sa.ForeignKey("stock_counts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("item_id", ID, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("counted_by", sa.String(120), nullable=True),
        sa.Column("counted_at", STAMP, nullable=True),
        sa.Column("applied", sa.Integer(), nullable=True),
        sa.Column("audit_id", ID, nullable=True),
        sa.UniqueConstraint("count_id", "item_id", name="uq_stock_count_lines_item"),
        sa.CheckConstraint("counted >= 0", name="ck_stock_count_lines_counted_nonnegative"),
    )
    op.create_index(
        "ix_stock_count_lines_tenant_count", "stock_count_lines", ["tenant_id", "count_id"]
    )


def downgrade() -> None:
    op.drop_table("stock_count_lines")
    op.drop_table("stock_counts")
