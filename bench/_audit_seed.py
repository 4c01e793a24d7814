"""Seeding a large audit log in SQL alone (generate_series, no Python per row).

One big tenant holds ``share`` of the rows over ``items`` x ``departments`` stock levels;
the other tenants share the rest, 200 items x 5 departments each. Rows of all tenants
interleave in id order (an append-only log written by everyone at once), their
timestamps rise with the id over ``days`` days up to now, items are skewed (a few move a
lot: the k-th item's share falls like 1/sqrt(k)), departments uniform, actions and
sources in fixed proportions (issues the most). Quantities are random: the sum-of-deltas
invariant does not hold for seeded rows, which no read measured here relies on.

The load runs with the audit_log indexes dropped (their definitions kept and re-created
afterwards, as a restore does) and foreign-key triggers off (``session_replication_role
= replica``: every referenced row exists by construction), then VACUUM ANALYZE.
"""

from __future__ import annotations

import psycopg

__all__ = ["SMALL_DEPARTMENTS", "SMALL_ITEMS", "seed_audit"]

SMALL_ITEMS, SMALL_DEPARTMENTS = 200, 5

CATALOG = """
INSERT INTO departments (tenant_id, name, is_default, created_at)
SELECT s.tenant_id, 'Dept ' || lpad(d::text, 2, '0'), false, now()
  FROM slots s, generate_series(1, s.departments) d;
INSERT INTO items (tenant_id, name, barcode, notes, created_at)
SELECT s.tenant_id, 'Item ' || lpad(i::text, 5, '0'), s.tenant_id || '-' || i, '', now()
  FROM slots s, generate_series(1, s.items) i;
INSERT INTO stock_levels (tenant_id, item_id, department_id, quantity, threshold)
SELECT i.tenant_id, i.id, d.id, 100, 10
  FROM items i JOIN departments d ON d.tenant_id = i.tenant_id AND d.name LIKE 'Dept %'
 ORDER BY i.tenant_id, i.id, d.id;
CREATE UNLOGGED TABLE bench_levels AS
SELECT s.tenant_id, s.id AS level_id, s.item_id, s.department_id, i.name AS item_name,
       d.name AS department_name,
       (row_number() OVER (PARTITION BY s.tenant_id ORDER BY s.item_id, s.department_id)) - 1
         AS k
  FROM stock_levels s JOIN items i ON i.id = s.item_id JOIN departments d ON d.id = s.department_id;
CREATE UNIQUE INDEX ON bench_levels (tenant_id, k);
ANALYZE bench_levels;
"""

ROWS = """
INSERT INTO audit_log (id, tenant_id, stock_level_id, item_id, department_id, item_name,
    department_name, actor_id, actor_name, source, action, delta, quantity_after, threshold,
    note, reason, created_at)
SELECT x.g, l.tenant_id, l.level_id, l.item_id, l.department_id, l.item_name,
       l.department_name, NULL, 'user-' || (x.g %% 37),
       CASE WHEN x.r4 < 0.6 THEN 'ui' WHEN x.r4 < 0.9 THEN 'api' ELSE 'cli' END,
       a.action, a.delta, (x.r4 * 400)::int, 10,
       CASE WHEN x.g %% 20 = 0 THEN 'shift ' || (x.g %% 3) ELSE '' END, a.reason,
       now() - make_interval(secs => (%(rows)s - x.g) * %(step)s)
  FROM (SELECT g,
               CASE WHEN g %% %(every)s = 0 THEN 0 ELSE 1 + (g / %(every)s) %% %(small)s END
                 AS slot,
               random() AS r1, random() AS r2, random() AS r3, random() AS r4
          FROM generate_series(1, %(rows)s) g) x
  JOIN slots s ON s.slot = x.slot
  JOIN bench_levels l ON l.tenant_id = s.tenant_id
   AND l.k = floor(s.items * x.r1 * x.r1)::int * s.departments + floor(s.departments * x.r2)::int
 CROSS JOIN LATERAL (SELECT
       CASE WHEN x.r3 < 0.50 THEN 'issue' WHEN x.r3 < 0.56 THEN 'return'
            WHEN x.r3 < 0.72 THEN 'restock' WHEN x.r3 < 0.77 THEN 'transfer_out'
            WHEN x.r3 < 0.82 THEN 'transfer_in' WHEN x.r3 < 0.87 THEN 'adjust'
            WHEN x.r3 < 0.90 THEN 'import' WHEN x.r3 < 0.92 THEN 'threshold'
            WHEN x.r3 < 0.925 THEN 'add' ELSE 'issue' END AS action,
       CASE WHEN x.r3 < 0.50 OR x.r3 >= 0.925 THEN -1 - (x.r4 * 4)::int
            WHEN x.r3 < 0.56 THEN 1 WHEN x.r3 < 0.72 THEN 10 + (x.r4 * 40)::int
            WHEN x.r3 < 0.77 THEN -5 WHEN x.r3 < 0.82 THEN 5
            WHEN x.r3 < 0.87 THEN (x.r4 * 6)::int - 3 WHEN x.r3 < 0.90 THEN 7
            WHEN x.r3 < 0.92 THEN 0 ELSE 100 END AS delta,
       CASE WHEN x.r3 >= 0.82 AND x.r3 < 0.87 THEN (ARRAY['counted', 'damaged', 'expired',
            'lost', 'found', 'correction'])[1 + (x.r4 * 5.99)::int] END AS reason) a
"""


def seed_audit(
    dsn: str, tenants: list[int], rows: int, share: float, items: int, departments: int, days: int
) -> None:
    """``rows`` audit rows: ``share`` of them in ``tenants[0]``, the rest spread evenly."""
    every = round(1 / share)  # every n-th row is the big tenant's
    slots = [(0, tenants[0], items, departments)] + [
        (n, t, SMALL_ITEMS, SMALL_DEPARTMENTS) for n, t in enumerate(tenants[1:], start=1)
    ]
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '512MB'")
        connection.execute("SET session_replication_role = replica")  # FK triggers off
        connection.execute(
            "CREATE TEMP TABLE slots (slot int, tenant_id bigint, items int, departments int)"
        )
        with connection.cursor().copy("COPY slots FROM STDIN") as copy:
            for slot in slots:
                copy.write_row(slot)
        connection.execute(CATALOG)
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_log' "
            "AND indexname NOT LIKE '%pkey'"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute("SELECT setseed(0.18)")
        step = days * 86400 / rows
        params = {"rows": rows, "step": step, "every": every, "small": len(tenants) - 1}
        connection.execute(ROWS, params)
        connection.execute("SELECT setval('audit_log_id_seq', (SELECT max(id) FROM audit_log))")
        for _, definition in indexes:
            connection.execute(definition)
        connection.execute("DROP TABLE bench_levels")
        connection.execute("VACUUM ANALYZE")
