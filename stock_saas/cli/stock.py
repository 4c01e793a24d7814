"""Stock commands: add, issue, return, transfer and status."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from stock_saas.cli.common import Runner, quantity, warn_if_low, warning
from stock_saas.errors import NotFound
from stock_saas.services import catalog, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import StockRow

__all__ = ["register"]

PAGE = 500


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    add = commands.add_parser("add", parents=[common], help="add or restock an item")
    add.add_argument("name")
    add.add_argument("quantity", type=quantity)
    add.add_argument("--threshold", type=quantity)
    add.add_argument("--department")
    add.add_argument("--category")
    add.add_argument("--barcode")

    for name, text in (("issue", "take units out"), ("return", "put issued units back")):
        sub = commands.add_parser(name, parents=[common], help=text)
        sub.add_argument("name")
        sub.add_argument("quantity", type=quantity)
        sub.add_argument("--department")

    transfer = commands.add_parser(
        "transfer", parents=[common], help="move units between departments"
    )
    transfer.add_argument("name")
    transfer.add_argument("quantity", type=quantity)
    transfer.add_argument("--from", dest="from_department", required=True, metavar="D")
    transfer.add_argument("--to", dest="to_department", required=True, metavar="D")

    status = commands.add_parser("status", parents=[common], help="stock levels and warnings")
    status.add_argument("--department")
    status.add_argument("--low", action="store_true", help="only stock below its threshold")
    status.add_argument("--json", action="store_true", help="print a JSON list")
    return {
        "add": _run_add,
        "issue": _run_move,
        "return": _run_move,
        "transfer": _run_transfer,
        "status": _run_status,
    }


def _run_add(ctx: Context, args: argparse.Namespace) -> None:
    change = stock.add_stock(
        ctx=ctx,
        name=args.name,
        quantity=args.quantity,
        threshold=args.threshold,
        department=args.department,
        category=args.category,
        barcode=args.barcode,
    )
    if change.created_department:
        print(f"Created department {change.department!r}.")
    if change.created_category:
        print(f"Created category {args.category.strip()!r}.")
    verb = "Added new item" if change.created_item else "Added"
    print(
        f"{verb} {change.delta} x {change.name} to {change.department}: {change.quantity} on hand"
        f" (threshold {change.threshold})."
    )
    warn_if_low(change)


def _run_move(ctx: Context, args: argparse.Namespace) -> None:
    if args.quantity == 0:
        raise argparse.ArgumentTypeError("quantity must be at least 1")
    operation = stock.issue_stock if args.command == "issue" else stock.return_stock
    change = operation(ctx=ctx, item=args.name, quantity=args.quantity, department=args.department)
    verb = "Issued" if args.command == "issue" else "Returned"
    print(
        f"{verb} {args.quantity} x {change.name} ({change.department}): {change.quantity} left"
        f" (threshold {change.threshold})."
    )
    warn_if_low(change)


def _run_transfer(ctx: Context, args: argparse.Namespace) -> None:
    if args.quantity == 0:
        raise argparse.ArgumentTypeError("quantity must be at least 1")
    moved = stock.transfer_stock(
        ctx=ctx,
        item=args.name,
        quantity=args.quantity,
        from_department=args.from_department,
        to_department=args.to_department,
    )
    print(
        f"Moved {args.quantity} x {moved.source.name} from {moved.source.department}"
        f" ({moved.source.quantity} left) to {moved.destination.department}"
        f" ({moved.destination.quantity} now)."
    )
    warn_if_low(moved.source)


def _all_rows(ctx: Context, department_id: int | None, low: bool) -> list[StockRow]:
    rows: list[StockRow] = []
    while True:
        page = stock.list_stock(
            ctx=ctx, department_id=department_id, low=low or None, limit=PAGE, offset=len(rows)
        )
        rows.extend(page.items)
        if len(rows) >= page.total or not page.items:
            return rows


def _run_status(ctx: Context, args: argparse.Namespace) -> None:
    department_id = None
    if args.department:
        department_id = next(
            (d.id for d in catalog.list_departments(ctx=ctx) if d.name == args.department.strip()),
            None,
        )
        if department_id is None:
            raise NotFound(f"No department {args.department!r}.")
    rows = _all_rows(ctx, department_id, args.low)
    if args.json:
        payload: list[dict[str, Any]] = [
            {
                "name": r.name,
                "department": r.department,
                "quantity": r.quantity,
                "threshold": r.threshold,
                "low": r.low,
                "category": r.category,
                "barcode": r.barcode,
                "item_id": r.item_id,
            }
            for r in rows
        ]
        print(json.dumps(payload, indent=2))
        for r in rows:
            if r.low:
                print(warning(r.name, r.department, r.quantity, r.threshold), file=sys.stderr)
        return
    if not rows:
        print(
            "No stock yet. Add some: inventory.py add NAME QTY --threshold N"
            if not args.low
            else "Nothing is below its threshold."
        )
        return
    width = max(len("ITEM"), *(len(r.name) for r in rows))
    dwidth = max(len("DEPARTMENT"), *(len(r.department) for r in rows))
    print(f"{'ITEM':<{width}}  {'DEPARTMENT':<{dwidth}}  {'QTY':>8}  {'THRESHOLD':>9}")
    for r in rows:
        flag = "  LOW" if r.low else ""
        print(
            f"{r.name:<{width}}  {r.department:<{dwidth}}  {r.quantity:>8}  {r.threshold:>9}{flag}"
        )
    for r in rows:
        if r.low:
            print(warning(r.name, r.department, r.quantity, r.threshold))
