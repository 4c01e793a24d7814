"""Labels: N labels as a PDF through the service, against the libraries drawing them alone.

    .venv/bin/python -m bench.labels [--labels 1000] [--backend sqlite|postgresql] [--decode]

Seeds N items without barcodes, each stocked in one department, in a scratch database
(SQLite in a temporary folder, or PostgreSQL database stock_saas_bench_labels, dropped at
the end), then times in this one process, best of ``--runs``:

- baseline: the same N labels drawn by the libraries alone (zxing-cpp QR codes, reportlab
  Code 128 and PDF), with no database;
- first print: ``labels.print_labels``, which also generates and stores N barcodes;
- reprint: ``labels.print_labels`` again (the barcodes exist).

Prints seconds, labels per second and each ratio to the baseline. ``--decode`` renders
every page at 300 dpi (pdftoppm) and counts the symbols zbarimg decodes (2 per label).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import create_engine, insert, text

from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.migrations import upgrade_to_head
from stock_saas.models import Department, Item, StockLevel
from stock_saas.services import labels
from stock_saas.services.core import Role, Source
from stock_saas.services.labels.drawing import Label, draw_label
from stock_saas.services.labels.typesetting import font_name
from stock_saas.services.people import ensure_tenant, operator_context

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_NAME = "stock_saas_bench_labels"


def _database(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'labels.db'}"
    else:
        admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
        admin.dispose()
        url = f"{PG_SERVER}/{PG_NAME}"
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.dispose_engines()
    upgrade_to_head(url)
    return url


def _drop(backend: str) -> None:
    db.dispose_engines()
    if backend == "postgresql":
        admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        admin.dispose()


def _seed(tenant_id: int, count: int) -> None:
    with db.write_session() as session:
        department = Department(tenant_id=tenant_id, name="Store room")
        session.add(department)
        session.flush()
        names = [f"Item {n:05d} nitrile gloves, size M" for n in range(count)]
        session.execute(
            insert(Item), [{"tenant_id": tenant_id, "name": name, "notes": ""} for name in names]
        )
        ids = session.execute(text("SELECT id FROM items ORDER BY id")).scalars().all()
        session.execute(
            insert(StockLevel),
            [
                {"tenant_id": tenant_id, "item_id": i, "department_id": department.id,
                 "quantity": 5, "threshold": 2}
                for i in ids
            ],
        )  # fmt: skip


def _timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock and CPU seconds of ``runs`` calls (CPU time is what a busy machine
    distorts least)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _line(what: str, count: int, timing: tuple[float, float], base: tuple[float, float]) -> str:
    wall, cpu = timing
    return (
        f"{what:<34} {wall:6.2f} s wall {cpu:6.2f} s CPU {count / wall:6.0f} labels/s"
        f"  {wall / base[0]:4.2f}x baseline (CPU {cpu / base[1]:4.2f}x)"
    )


def _baseline(count: int) -> bytes:
    sheet = labels.sheet_of(labels.LabelLayout.A4_3X8)
    font = font_name()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=sheet.page, pageCompression=1)
    for n in range(count):
        if n and n % sheet.per_page == 0:
            canvas.showPage()
        label = Label(f"SS-{n + 1:06d}", f"Item {n:05d} nitrile gloves, size M", "Store room")
        draw_label(canvas, label, sheet.origin(n % sheet.per_page), sheet.label, font)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _decode(pdf: bytes, folder: Path) -> int:
    (folder / "labels.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(folder / "labels.pdf"), str(folder / "page")],
        check=True,
    )
    decoded = 0
    for page in sorted(folder.glob("page-*.png")):
        found = subprocess.run(
            ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True
        )
        decoded += len(found.stdout.split())
    return decoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--decode", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-labels-"))
    try:
        _database(args.backend, folder)
        tenant = ensure_tenant("Bench labels")
        assert tenant.id is not None
        _seed(tenant.id, args.labels)
        ctx = operator_context(tenant, source=Source.CLI, actor_name="bench")
        assert ctx.role is Role.ADMIN
        request = labels.LabelRequest()
        base = _timed(args.runs, lambda: _baseline(args.labels))
        out = io.BytesIO()
        first: list[labels.LabelRun] = []
        timing = _timed(
            1, lambda: first.append(labels.print_labels(ctx=ctx, request=request, out=out))
        )
        assert len(first[0].generated) == args.labels, first
        again = _timed(
            args.runs, lambda: labels.print_labels(ctx=ctx, request=request, out=io.BytesIO())
        )
        size = len(out.getvalue()) // 1024
        print(f"{args.labels} labels, A4 3x8, {first[0].pages} pages, {size} KiB, {args.backend}")
        print(_line("baseline (libraries alone, no DB)", args.labels, base, base))
        print(_line("first print (+ new barcodes)", args.labels, timing, base))
        print(_line("reprint", args.labels, again, base))
        if args.decode:
            decoded = _decode(out.getvalue(), folder)
            print(f"decoded {decoded} of {2 * args.labels} symbols at 300 dpi (zbarimg)")
    finally:
        _drop(args.backend)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
