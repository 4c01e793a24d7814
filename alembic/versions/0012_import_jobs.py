"""import_jobs: CSV imports running in the background, their progress and outcome

Revision ID: 0012_import_jobs
Revises: 0011_barcode_counters
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_import_jobs"
down_revision: str | None = "0011_barcode_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "tenant_id", ID, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("task_id", sa.String(64), nullable=False, unique=True),
        sa.Column("requested_by", ID, nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("new_items", sa.Integer(), nullable=False),
        sa.Column("new_departments", sa.Integer(), nullable=False),
        sa.Column("new_categories", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("detail", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_import_jobs_tenant", "import_jobs", ["tenant_id", "id"])


def downgrade() -> None:
    op.drop_table("import_jobs")
