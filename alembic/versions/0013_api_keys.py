"""api_keys: scoped, revocable keys for integrations (hash only)

Revision ID: 0013_api_keys
Revises: 0012_import_jobs
Create Date: 2026-12-02 03:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_api_keys"
down_revision: str | None = "0012_import_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", ID, primary_key=True),
        sa.Column("tenant_id", ID, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("read_only", sa.Boolean(), nullable=False),
        sa.Column("created_by", ID, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=True),
        sa.Column("last_used_at", STAMP, nullable=True),
        sa.Column("revoked_at", STAMP, nullable=True),
        sa.UniqueConstraint("tenant_id", "name", name="uq_api_keys_tenant_name"),
    )
    op.create_index("ix_api_keys_tenant", "api_keys", ["tenant_id", "id"])


def downgrade() -> None:
    op.drop_table("api_keys")
