"""Adjusting stock to the shelf: ``adjust NAME (--counted N | --by ±N) --reason R``."""

from __future__ import annotations

import argparse
from typing import Any

from stock_saas.cli.common import Runner, quantity, warn_if_low
from stock_saas.services import stock
from stock_saas.services.core import Context
from stock_saas.services.stock import AdjustReason

__all__ = ["register"]


def signed_quantity(text: str) -> int:
    """A whole, non-zero number with an optional sign (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number such as -2") from None
    if value == 0:
        raise argparse.ArgumentTypeError("--by 0 changes nothing; give a signed change such as -2")
    return value


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Runner]:
    adjust = commands.add_parser(
        "adjust",
        parents=[common],
        help="set stock to a counted quantity or change it, with a reason",
        description="Adjust one stock level to the shelf. Write-offs (damaged, expired, lost)"
        " only lower stock, found only raises it.",
    )
    adjust.add_argument("name")
    how = adjust.add_mutually_exclusive_group(required=True)
    how.add_argument("--counted", type=quantity, metavar="N", help="the quantity on the shelf")
    how.add_argument("--by", type=signed_quantity, metavar="±N", help="a signed change, e.g. -2")
    adjust.add_argument(
        "--reason", required=True, choices=[r.value for r in AdjustReason], metavar="R",
        help="one of: %(choices)s",
    )  # fmt: skip
    adjust.add_argument("--department")
    adjust.add_argument("--note", default="", metavar="TEXT")
    return {"adjust": _run_adjust}


def _run_adjust(ctx: Context, args: argparse.Namespace) -> None:
    change = stock.adjust_stock(
        ctx=ctx,
        item=args.name,
        department=args.department,
        counted=args.counted,
        delta=args.by,
        reason=args.reason,
        note=args.note,
    )
    print(
        f"Adjusted {change.name} ({change.department}) by {change.delta:+d} ({args.reason}):"
        f" {change.quantity} on hand (threshold {change.threshold})."
    )
    warn_if_low(change)
