"""organisations may share a name: tenants.display_name

What a person calls their organisation is ``display_name`` (not unique). ``name`` stays the
unique handle operators use (``--tenant`` in the CLI): it is the display name when that is
free, else the display name with a short random suffix, so signing up never says whether an
organisation of that name exists. Existing tenants get their name as display name.

A column added, nothing rebuilt: on SQLite the tenants table (referenced by every table,
ON DELETE CASCADE) is never recreated.

Revision ID: 0015_tenant_display_name
Revises: 0014_two_factor
Create Date: 2026-12-02 05:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_tenant_display_name"
down_revision: str | None = "0014_two_factor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("display_name", sa.String(length=120), nullable=True))
    op.execute("UPDATE tenants SET display_name = name")


def downgrade() -> None:
    op.drop_column("tenants", "display_name")
