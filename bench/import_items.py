"""CSV import of 100,000 rows on PostgreSQL, against a raw COPY of the same file.

    .venv/bin/python -m bench.import_items [--rows 100000]

In the database stock_saas_bench_import (re-created), one run times:

- ``COPY scratch FROM STDIN WITH CSV HEADER`` of the file into an unindexed scratch table
  with the same six columns (the floor: parsing and writing the rows, nothing checked);
- the import of the file into an empty tenant (items, 10 departments, 20 categories,
  stock levels and one ``import`` audit row per level created), dry run and apply;
- the same file again with 10 % of the quantities changed (an update of 10,000 levels,
  the other 90,000 unchanged).

Prints each time, the ratio to COPY and the peak memory growth of this process (VmHWM
after minus VmRSS before). Aim: the import within 10x of COPY, under 30 s, under 200 MB.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import psycopg

from bench._pg import SERVER, drop_database, fresh_database
from stock_saas.services import imports
from stock_saas.services.core import Source
from stock_saas.services.people import ensure_tenant, operator_context

NAME = "stock_saas_bench_import"


def _file(rows: int, changed_every: int = 0) -> bytes:
    out = io.StringIO(newline="")
    out.write("name,department,category,quantity,threshold,barcode\r\n")
    for n in range(rows):
        quantity = n % 500 + (1 if changed_every and n % changed_every == 0 else 0)
        out.write(f"Item {n:06d},Ward {n % 10},Kind {n % 20},{quantity},{n % 7},BC{n:08d}\r\n")
    return out.getvalue().encode()


def _memory(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _copy_seconds(data: bytes) -> float:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{NAME}", autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE scratch (name text, department text, category text, quantity int,"
            " threshold int, barcode text)"
        )
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY scratch FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            copy.write(data)
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE scratch")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    assert SERVER
    fresh_database(NAME)
    try:
        ctx = operator_context(ensure_tenant("Bench"), source=Source.CLI, actor_name="bench")
        first, update = _file(rows), _file(rows, changed_every=10)
        before = _memory("VmRSS")
        copy = _copy_seconds(first)
        started = time.perf_counter()
        preview = imports.import_stock(ctx=ctx, data=first, dry_run=True)
        dry = time.perf_counter() - started
        started = time.perf_counter()
        created = imports.import_stock(ctx=ctx, data=first, dry_run=False)
        into_empty = time.perf_counter() - started
        started = time.perf_counter()
        updated = imports.import_stock(ctx=ctx, data=update, dry_run=False)
        as_update = time.perf_counter() - started
        growth = (_memory("VmHWM") - before) / 2**20
    finally:
        drop_database(NAME)
    assert preview.created == created.created == rows and not created.errors
    assert (updated.updated, updated.unchanged) == (rows // 10, rows - rows // 10)
    print(f"rows: {rows} ({len(first) / 2**20:.1f} MiB)")
    print(f"{'COPY into a scratch table:':36}{copy:6.2f} s")
    for label, seconds in (
        ("dry run (empty tenant)", dry),
        ("import into an empty tenant", into_empty),
        ("re-import, 10 % of levels changed", as_update),
    ):
        print(f"{label + ':':36}{seconds:6.2f} s   {seconds / copy:5.1f}x COPY")
    print(f"{'peak memory growth:':36}{growth:6.0f} MiB")


if __name__ == "__main__":
    main()
