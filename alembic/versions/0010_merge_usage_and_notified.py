"""merge: the usage reports' branch (0008_usage_indexes, 0009_weekly_digest) and
0008_alert_episodes_notified, which landed side by side from 0007_stock_counts

No schema change: it only joins the two heads so `alembic upgrade head` has one target.
The two branches touch different tables (audit_log indexes, tenants/users/notifications
columns vs alert_episodes.notified_at), so their order does not matter.

Revision ID: 0010_merge_usage_and_notified
Revises: 0008_alert_episodes_notified, 0009_weekly_digest
Create Date: 2026-12-02 02:40:00.000000
"""

from collections.abc import Sequence

revision: str = "0010_merge_usage_and_notified"
down_revision: str | Sequence[str] | None = ("0008_alert_episodes_notified", "0009_weekly_digest")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
