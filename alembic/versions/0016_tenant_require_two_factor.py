"""tenant policy: require two-factor sign-in for admins and managers (tenants.require_two_factor)

Off for every existing tenant. A column added, nothing rebuilt: on SQLite the tenants table
(referenced by every table, ON DELETE CASCADE) is never recreated.

Revision ID: 0016_tenant_require_two_factor
Revises: 0015_tenant_display_name
Create Date: 2026-12-02 06:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_tenant_require_two_factor"
down_revision: str | None = "0015_tenant_display_name"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "tenants",
        sa.Column("require_two_factor", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("tenants", "require_two_factor")
