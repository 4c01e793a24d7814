"""The operator's command line: ``python inventory.py COMMAND`` (or ``stock-saas``).

It acts with admin rights inside one tenant (``--tenant``, default ``default``); its
audit rows say source ``cli`` and the OS user. Exit codes: 0 success, 1 domain error
(one line on stderr, nothing changed), 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stock_saas.bootstrap import BootstrapRefused, bootstrap
from stock_saas.config import get_settings
from stock_saas.errors import NotFound, StockSaasError
from stock_saas.services import catalog, event_bus, exports, stock, stock_queries
from stock_saas.services.context import Context, Source
from stock_saas.services.stock import StockChange
from stock_saas.services.stock_queries import StockRow
from stock_saas.services.tenants import DEFAULT_TENANT, ensure_tenant, operator_context
from stock_saas.tasks import triggers

__all__ = ["build_parser", "main"]

PAGE = 500


def _quantity(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant (default: %(default)s)")
    parser = argparse.ArgumentParser(prog="inventory.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", parents=[common], help="add or restock an item")
    add.add_argument("name")
    add.add_argument("quantity", type=_quantity)
    add.add_argument("--threshold", type=_quantity)
    add.add_argument("--department")
    add.add_argument("--category")
    add.add_argument("--barcode")

    for name, text in (("issue", "take units out"), ("return", "put issued units back")):
        sub = commands.add_parser(name, parents=[common], help=text)
        sub.add_argument("name")
        sub.add_argument("quantity", type=_quantity)
        sub.add_argument("--department")

    transfer = commands.add_parser(
        "transfer", parents=[common], help="move units between departments"
    )
    transfer.add_argument("name")
    transfer.add_argument("quantity", type=_quantity)
    transfer.add_argument("--from", dest="from_department", required=True, metavar="D")
    transfer.add_argument("--to", dest="to_department", required=True, metavar="D")

    status = commands.add_parser("status", parents=[common], help="stock levels and warnings")
    status.add_argument("--department")
    status.add_argument("--low", action="store_true", help="only stock below its threshold")
    status.add_argument("--json", action="store_true", help="print a JSON list")

    export = commands.add_parser("export", parents=[common], help="the audit log as CSV")
    export.add_argument("--limit", type=_quantity, help="only the newest N rows")
    export.add_argument("--output", metavar="FILE", help="write to FILE (default: stdout)")

    commands.add_parser("migrate", help="migrate the database and create the first admin")
    return parser


def _warn_if_low(change: StockChange) -> None:
    if change.low:
        print(
            _warning(change.name, change.department, change.quantity, change.threshold),
            file=sys.stderr,
        )


def _warning(name: str, department: str, quantity: int, threshold: int) -> str:
    return f"WARNING: {name} in {department} is below its threshold ({quantity} < {threshold})"


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
    _warn_if_low(change)


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
    _warn_if_low(change)


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
    _warn_if_low(moved.source)


def _all_rows(ctx: Context, department_id: int | None, low: bool) -> list[StockRow]:
    rows: list[StockRow] = []
    while True:
        page = stock_queries.list_stock(
            ctx=ctx, department_id=department_id, low=low or None, limit=PAGE, offset=len(rows)
        )
        rows.extend(page.rows)
        if len(rows) >= page.total or not page.rows:
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
                print(_warning(r.name, r.department, r.quantity, r.threshold), file=sys.stderr)
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
            print(_warning(r.name, r.department, r.quantity, r.threshold))


def _run_export(ctx: Context, args: argparse.Namespace) -> None:
    """Stream the tenant's audit log as neutralised CSV; a progress line on stderr."""
    if args.limit == 0:
        raise argparse.ArgumentTypeError("--limit must be at least 1")

    def progress(written: int, total: int) -> None:
        percent = 100 * written // total if total else 100
        print(f"\rexport: {written}/{total} rows ({percent}%)", end="", file=sys.stderr)

    flt = exports.ExportFilter(limit=args.limit)
    if args.output is None:
        written = exports.write_audit_csv(ctx=ctx, out=sys.stdout, flt=flt, progress=progress)
    else:
        target = Path(args.output)
        part = target.with_name(f".{target.name}.part")  # no half-written FILE on failure
        try:
            with part.open("w", newline="", encoding="utf-8") as out:
                written = exports.write_audit_csv(ctx=ctx, out=out, flt=flt, progress=progress)
            part.replace(target)
        finally:
            part.unlink(missing_ok=True)
    where = f" to {args.output}" if args.output else ""
    print(f"\rexport: {written} rows written{where}.", file=sys.stderr)


def _run_migrate() -> None:
    result = bootstrap(required=True)
    print(f"Database is at the newest schema; tenant {result.tenant.name!r} is ready.")
    if result.admin_created:
        print(f"Created the first admin {result.admin_username!r}.")
        if result.default_password:
            print(
                "WARNING: its password is 'admin' (embedded SQLite default); set ADMIN_PASSWORD"
                " or change it before anyone else can reach this machine."
            )


RUNNERS = {
    "add": _run_add,
    "issue": _run_move,
    "return": _run_move,
    "transfer": _run_transfer,
    "status": _run_status,
    "export": _run_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "migrate":
            _run_migrate()
            return 0
        bootstrap(required=False)
        event_bus.install_publisher()  # live dashboards of other processes see our changes
        if get_settings().queue_on_events:
            triggers.install()  # a drop below threshold alerts now, not at the next sweep
        ctx = operator_context(ensure_tenant(args.tenant), source=Source.CLI, actor_name=_os_user())
        RUNNERS[args.command](ctx, args)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    except BootstrapRefused as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    except StockSaasError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
