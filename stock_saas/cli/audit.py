"""The audit log as CSV: ``export [--limit N] [--output FILE]``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from stock_saas.cli.common import Runner, output_file, progress_line, quantity
from stock_saas.services import audit
from stock_saas.services.core import Context

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    export = commands.add_parser("export", parents=[common], help="the audit log as CSV")
    export.add_argument("--limit", type=quantity, help="only the newest N rows")
    export.add_argument("--output", metavar="FILE", help="write to FILE (default: stdout)")
    return {"export": _run_export}


def _run_export(ctx: Context, args: argparse.Namespace) -> None:
    """Stream the tenant's audit log as neutralised CSV; a progress line on stderr."""
    if args.limit == 0:
        raise argparse.ArgumentTypeError("--limit must be at least 1")
    flt = audit.ExportFilter(limit=args.limit)
    with output_file(args.output) as out:
        written = audit.write_audit_csv(ctx=ctx, out=out, flt=flt, progress=progress_line("export"))
    where = f" to {args.output}" if args.output else ""
    print(f"\rexport: {written} rows written{where}.", file=sys.stderr)
