"""Printed labels as a PDF: ``labels [--department D] [--low] [--item NAME]... [--layout L]
[--skip N] --output FILE.pdf`` (``--out`` is accepted too)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from stock_saas.cli.common import Runner, progress_line, quantity
from stock_saas.services import labels
from stock_saas.services.core import Context
from stock_saas.services.labels import LabelKind, LabelLayout, LabelRequest

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    sub = commands.add_parser(
        "labels",
        parents=[common],
        help="print item or department labels (QR code and Code 128) as a PDF",
        description="Items without a barcode are given one (SS-000123) on their first label.",
    )
    sub.add_argument("--department", metavar="D", help="only stock levels of this department")
    sub.add_argument("--low", action="store_true", help="only stock below its threshold")
    sub.add_argument(
        "--item", action="append", default=[], metavar="NAME", help="this item (repeatable)"
    )
    sub.add_argument(
        "--layout",
        choices=[layout.value for layout in LabelLayout],
        default=LabelLayout.A4_3X8.value,
        help="label stock (default: %(default)s)",
    )
    sub.add_argument(
        "--skip", type=quantity, default=0, metavar="N", help="leave the first N positions empty"
    )
    sub.add_argument(
        "--kind",
        choices=[kind.value for kind in LabelKind],
        default=LabelKind.ITEMS.value,
        help="item labels, or department labels (default: %(default)s)",
    )
    sub.add_argument("--output", "--out", required=True, metavar="FILE.pdf", dest="output")
    return {"labels": _run_labels}


@contextlib.contextmanager
def _binary_output(path: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` that replaces it only once the PDF is complete."""
    target = Path(path)
    part = target.with_name(f".{target.name}.part")
    try:
        with part.open("wb") as out:
            yield out
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def _run_labels(ctx: Context, args: argparse.Namespace) -> None:
    request = LabelRequest(
        kind=LabelKind(args.kind),
        items=tuple(args.item),
        department=args.department,
        low=args.low,
        layout=LabelLayout(args.layout),
        skip=args.skip,
    )
    with _binary_output(args.output) as out:
        run = labels.print_labels(
            ctx=ctx, request=request, out=out, progress=progress_line("labels")
        )
    pages = "page" if run.pages == 1 else "pages"
    print(f"\rWrote {run.labels} labels on {run.pages} {pages} to {args.output}.", file=sys.stderr)
    if run.generated:
        shown = ", ".join(run.generated[:5]) + (", ..." if len(run.generated) > 5 else "")
        print(f"Gave {len(run.generated)} items a barcode: {shown}", file=sys.stderr)
