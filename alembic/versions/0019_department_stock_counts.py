"""department_stock_counts: the sidebar's counts kept by triggers on stock_levels

The dashboard's sidebar shows, per department, how many stock levels it has and how many
are low (quantity below threshold). Counting them read every level of the tenant on every
page load and every change (100,000 levels: the slowest part of a click). Now triggers on
``stock_levels``, in the writer's own transaction, append the change to a department's
counts (+1/-1 levels, +1/-1 low) to ``department_stock_counts``, and the sidebar sums
those rows. Insert-only, so concurrent writers never wait on a shared counter row (nor
deadlock on two of them); the service folds the rows into one per department now and then.

Triggers rather than the services: every way a level changes is covered, including an
item's deletion (its levels go by ON DELETE CASCADE), imports and the raw-SQL fast path.
An UPDATE adds rows only when a level's low flag or department changes, so an ordinary
issue or return costs nothing more. On PostgreSQL, INSERT and DELETE use statement-level
triggers with transition tables (one INSERT ... SELECT ... GROUP BY per statement, so a
bulk import adds a row per department, not per level). The counts of existing levels are
filled here.

Also, on SQLite only, an index on items (tenant_id, lower(name)): the dashboard's search
reads a name prefix as a range over it (PostgreSQL has had its own since 0003).

Revision ID: 0019_department_stock_counts
Revises: 0018_event_relay
Create Date: 2026-12-02 07:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_department_stock_counts"
down_revision: str | None = "0018_event_relay"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOWER_NAME = "ix_items_tenant_lower_name"
_FLIPS = (
    "(OLD.quantity < OLD.threshold) <> (NEW.quantity < NEW.threshold)"
    " OR OLD.department_id <> NEW.department_id OR OLD.tenant_id <> NEW.tenant_id"
)
_ROW = "INSERT INTO department_stock_counts (tenant_id, department_id, levels, low) VALUES "

_PG = [
    f"""CREATE FUNCTION stock_levels_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_ROW}(OLD.tenant_id, OLD.department_id, -1,
         CASE WHEN OLD.quantity < OLD.threshold THEN -1 ELSE 0 END),
        (NEW.tenant_id, NEW.department_id, 1,
         CASE WHEN NEW.quantity < NEW.threshold THEN 1 ELSE 0 END);
  RETURN NULL;
END $$""",
    """CREATE FUNCTION stock_levels_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO department_stock_counts (tenant_id, department_id, levels, low)
    SELECT tenant_id, department_id, count(*),
           count(*) FILTER (WHERE quantity < threshold)
      FROM added GROUP BY tenant_id, department_id;
  ELSE
    INSERT INTO department_stock_counts (tenant_id, department_id, levels, low)
    SELECT tenant_id, department_id, -count(*),
           -count(*) FILTER (WHERE quantity < threshold)
      FROM removed GROUP BY tenant_id, department_id;
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE TRIGGER stock_levels_count_update AFTER UPDATE ON stock_levels
FOR EACH ROW WHEN ({_FLIPS}) EXECUTE FUNCTION stock_levels_count_update()""",
    """CREATE TRIGGER stock_levels_count_insert AFTER INSERT ON stock_levels
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stock_levels_count_rows()""",
    """CREATE TRIGGER stock_levels_count_delete AFTER DELETE ON stock_levels
REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stock_levels_count_rows()""",
]
_SQLITE = [
    f"""CREATE TRIGGER stock_levels_count_update AFTER UPDATE ON stock_levels
WHEN {_FLIPS} BEGIN
  {_ROW}(OLD.tenant_id, OLD.department_id, -1, -(OLD.quantity < OLD.threshold)),
        (NEW.tenant_id, NEW.department_id, 1, NEW.quantity < NEW.threshold);
END""",
    f"""CREATE TRIGGER stock_levels_count_insert AFTER INSERT ON stock_levels BEGIN
  {_ROW}(NEW.tenant_id, NEW.department_id, 1, NEW.quantity < NEW.threshold);
END""",
    f"""CREATE TRIGGER stock_levels_count_delete AFTER DELETE ON stock_levels BEGIN
  {_ROW}(OLD.tenant_id, OLD.department_id, -1, -(OLD.quantity < OLD.threshold));
END""",
]


def upgrade() -> None:
    op.create_table(
        "department_stock_counts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "department_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("levels", sa.Integer(), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_department_stock_counts_tenant",
        "department_stock_counts",
        ["tenant_id", "department_id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG:
            op.execute(statement)
    else:
        for statement in _SQLITE:
            op.execute(statement)
        # The search's name prefix, as a range (PostgreSQL has its own since 0003).
        op.execute(f"CREATE INDEX {LOWER_NAME} ON items (tenant_id, lower(name))")
    op.execute(
        "INSERT INTO department_stock_counts (tenant_id, department_id, levels, low) "
        "SELECT tenant_id, department_id, count(*), "
        "sum(CASE WHEN quantity < threshold THEN 1 ELSE 0 END) "
        "FROM stock_levels GROUP BY tenant_id, department_id"
    )


def downgrade() -> None:
    for trigger in ("update", "insert", "delete"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER stock_levels_count_{trigger} ON stock_levels")
        else:
            op.execute(f"DROP TRIGGER stock_levels_count_{trigger}")
    if op.get_bind().dialect.name != "postgresql":
        op.execute(f"DROP INDEX {LOWER_NAME}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION stock_levels_count_update()")
        op.execute("DROP FUNCTION stock_levels_count_rows()")
    op.drop_index("ix_department_stock_counts_tenant", table_name="department_stock_counts")
    op.drop_table("department_stock_counts")
