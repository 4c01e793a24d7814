"""Report commands: ``reorder`` — what to order, how much, and when stock runs out."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from stock_saas.cli.common import Runner
from stock_saas.errors import NotFound
from stock_saas.services import catalog, reports
from stock_saas.services.core import Context
from stock_saas.services.reports import ReorderReport, ReorderRow

__all__ = ["register"]


def whole_days(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    reorder = commands.add_parser(
        "reorder",
        parents=[common],
        help="what to reorder: low or running low soon, soonest stock-out first",
    )
    reorder.add_argument(
        "--days",
        type=whole_days(1, reports.MAX_DAYS),
        default=reports.DEFAULT_DAYS,
        metavar="N",
        help="judge the pace by the last N days (default %(default)s)",
    )
    reorder.add_argument(
        "--cover",
        type=whole_days(0, reports.MAX_COVER_DAYS),
        default=reports.DEFAULT_COVER_DAYS,
        metavar="N",
        help="order enough to last N days (default %(default)s)",
    )
    reorder.add_argument("--department", metavar="D")
    reorder.add_argument("--json", action="store_true", help="print JSON (the API's shape)")
    return {"reorder": _run_reorder}


def _department_id(ctx: Context, name: str | None) -> int | None:
    if not name:
        return None
    wanted = name.strip()
    for department in catalog.list_departments(ctx=ctx):
        if department.name == wanted:
            return department.id
    raise NotFound(f"No department {name!r}.")


def _whole_list(ctx: Context, args: argparse.Namespace) -> ReorderReport:
    department_id = _department_id(ctx, args.department)
    report = reports.reorder_list(
        ctx=ctx,
        days=args.days,
        cover_days=args.cover,
        department_id=department_id,
        limit=reports.MAX_ROWS,
    )
    rows = list(report.rows)
    while len(rows) < report.total:
        page = reports.reorder_list(
            ctx=ctx,
            days=args.days,
            cover_days=args.cover,
            department_id=department_id,
            limit=reports.MAX_ROWS,
            offset=len(rows),
        )
        if not page.rows:
            break
        rows.extend(page.rows)
    return report.model_copy(update={"rows": rows, "total": len(rows)})


def _cells(row: ReorderRow) -> list[str]:
    return [
        row.name,
        row.department,
        str(row.quantity),
        str(row.threshold),
        f"{row.daily_usage:g}",
        "-" if row.days_left is None else f"{row.days_left:g}",
        "-" if row.stockout_date is None else row.stockout_date.isoformat(),
        str(row.suggested_order),
        "LOW" if row.low else "",
    ]


HEADER = ["ITEM", "DEPARTMENT", "QTY", "THRESHOLD", "PER DAY", "DAYS LEFT", "RUNS OUT", "ORDER"]


def _run_reorder(ctx: Context, args: argparse.Namespace) -> None:
    report = _whole_list(ctx, args)
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
        return
    pace = f"the pace of the last {report.days} days"
    if not report.rows:
        print(
            f"Nothing to reorder: no stock level is low or runs low within"
            f" {report.cover_days} days at {pace}."
        )
        return
    print(
        f"{len(report.rows)} to reorder, soonest stock-out first ({pace};"
        f" orders last {report.cover_days} days):"
    )
    table = [HEADER] + [_cells(row) for row in report.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    for line in table:
        text = "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=False))
        )
        flag = line[len(HEADER)] if len(line) > len(HEADER) else ""
        print(f"{text}  {flag}".rstrip())
