"""Stock in and out as CSV: ``export-stock [--department D] [--output FILE]`` and
``import FILE [--dry-run]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from stock_saas.cli.common import Runner, output_file
from stock_saas.errors import TooLarge, ValidationFailed
from stock_saas.services import imports
from stock_saas.services.core import Context

__all__ = ["register"]

PROGRESS_AFTER_SECONDS = 1.0


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    export = commands.add_parser(
        "export-stock", parents=[common], help="stock levels as CSV, in the import's columns"
    )
    export.add_argument("--department", help="only this department")
    export.add_argument("--output", metavar="FILE", help="write to FILE (default: stdout)")
    load = commands.add_parser("import", parents=[common], help="CSV: " + ",".join(imports.COLUMNS))
    load.add_argument("file", metavar="FILE")
    load.add_argument("--dry-run", action="store_true", help="only report what would change")
    return {"export-stock": _run_export, "import": _run_import}


def _run_export(ctx: Context, args: argparse.Namespace) -> None:
    with output_file(args.output) as out:
        written = imports.write_stock_csv(ctx=ctx, out=out, department=args.department)
    where = f" to {args.output}" if args.output else ""
    print(f"export-stock: {written} stock levels written{where}.", file=sys.stderr)


def _progress() -> imports.Progress:
    """A progress line on stderr, shown only once the import has taken a second."""
    started = time.monotonic()

    def show(stage: str, fraction: float) -> None:
        if time.monotonic() - started >= PROGRESS_AFTER_SECONDS:
            print(f"\rimport: {stage} ({100 * fraction:.0f}%)   ", end="", file=sys.stderr)

    return show


def _run_import(ctx: Context, args: argparse.Namespace) -> None:
    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > imports.MAX_BYTES:
            raise TooLarge(f"{path} has {size} bytes; an import takes at most 20 MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"Cannot read {path}: {exc.strerror}.") from None
    result = imports.import_stock(ctx=ctx, data=data, dry_run=args.dry_run, progress=_progress())
    print("\r", end="", file=sys.stderr)
    for error in result.errors:
        column = f", column {error.column}" if error.column else ""
        print(f"row {error.row}{column}: {error.message}", file=sys.stderr)
    verb = "would create" if result.dry_run or result.errors else "created"
    print(
        f"{verb} {result.created}, "
        f"{'would update' if verb != 'created' else 'updated'} {result.updated}, "
        f"unchanged {result.unchanged} (new items {result.new_items}, departments "
        f"{result.new_departments}, categories {result.new_categories})."
    )
    if result.errors:
        raise ValidationFailed(f"{len(result.errors)} rows have errors; nothing was written.")
