"""index items by lower(name) for case-insensitive prefix search (PostgreSQL)

The stock listing searches ``lower(items.name) LIKE lower(:prefix) || '%'``; with
``text_pattern_ops`` PostgreSQL answers that from this index instead of scanning every
item of the tenant. SQLite cannot use an index for LIKE here, so it gets none. The index
is PostgreSQL-only and deliberately not declared on the model (its operator class has no
SQLite equivalent); autogenerate would propose dropping it — keep it.

Revision ID: 0003_items_lower_name
Revises: 0002_alert_retries
Create Date: 2026-11-25 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_items_lower_name"
down_revision: str | None = "0002_alert_retries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_items_tenant_lower_name"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            INDEX,
            "items",
            ["tenant_id", sa.text("lower(name) text_pattern_ops")],
            unique=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="items")
