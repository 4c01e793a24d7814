"""users.token_version: signing out revokes every token issued before

A token carries the version of its user at issue time (claim ``ver``); every request
already reads the user row, and a token whose version is not the row's is refused.
Signing out increments the version.

Revision ID: 0005_users_token_version
Revises: 0004_webhooks
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_users_token_version"
down_revision: str | None = "0004_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("token_version")
