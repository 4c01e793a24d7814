"""Movements in the past: make them through the services, then move their audit rows'
timestamps (the only thing the services cannot be asked to do), so usage reports can be
checked on hand-computed histories over several days."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import col

from stock_saas.db import write_session
from stock_saas.models import AuditLog
from stock_saas.services import catalog, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import StockChange, Transfer

__all__ = [
    "adjust",
    "at_noon",
    "backdate",
    "clear_of_midnight",
    "issued_days_ago",
    "stock_the_store",
]


def clear_of_midnight(margin: float = 90.0) -> None:
    """Wait until UTC midnight is more than ``margin`` seconds away, so a test's "today"
    and the service's are the same date."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    left = (midnight - now).total_seconds()
    if left < margin:
        time.sleep(left + 1)


def at_noon(days_ago: int) -> datetime:
    """12:00 UTC, ``days_ago`` days before today."""
    today = datetime.now(UTC).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), UTC).replace(
        hour=12
    )


def backdate(change: StockChange | Transfer, when: datetime) -> None:
    """Say that ``change`` (both rows of a transfer) happened at ``when``."""
    if isinstance(change, Transfer):
        ids = [change.source.audit_id, change.destination.audit_id]
    else:
        ids = [change.audit_id]
    with write_session() as session:
        session.execute(update(AuditLog).where(col(AuditLog.id).in_(ids)).values(created_at=when))


def adjust(ctx: Context, item: str, department: str, delta: int) -> StockChange:
    """A write-off (damaged) when ``delta`` < 0, else units found."""
    reason = "damaged" if delta < 0 else "found"
    return stock.adjust_stock(ctx=ctx, item=item, department=department, delta=delta, reason=reason)


def issued_days_ago(ctx: Context, name: str, quantity: int, department: str, days_ago: int) -> None:
    """Issue units through the service, dated noon ``days_ago`` days back."""
    backdate(
        stock.issue_stock(ctx=ctx, item=name, quantity=quantity, department=department),
        at_noon(days_ago),
    )


def stock_the_store(m: Context) -> None:
    """Five stock levels of tenant ``m`` with 30-day usage in brackets (the reorder list
    it gives is hand-computed in tests/services/reports/test_reorder.py):
    Bandages 5/10 (none) low · Gloves 50/10 (60 issued) · Masks 100/10 (30 issued, 50
    transferred out) · Swabs 20/10 (90 issued) · Tape 0/0 in Lab (30 issued)."""
    catalog.create_department(ctx=m, name="Lab")
    stock.add_stock(ctx=m, name="Bandages", quantity=5, threshold=10, department="Ward")
    stock.add_stock(ctx=m, name="Gloves", quantity=110, threshold=10, department="Ward")
    issued_days_ago(m, "Gloves", 60, "Ward", 10)
    stock.add_stock(ctx=m, name="Masks", quantity=180, threshold=10, department="Ward")
    issued_days_ago(m, "Masks", 30, "Ward", 5)
    moved = stock.transfer_stock(
        ctx=m, item="Masks", quantity=50, from_department="Ward", to_department="Lab"
    )
    backdate(moved, at_noon(3))
    stock.add_stock(ctx=m, name="Swabs", quantity=110, threshold=10, department="Ward")
    issued_days_ago(m, "Swabs", 50, "Ward", 20)
    issued_days_ago(m, "Swabs", 40, "Ward", 2)
    stock.add_stock(ctx=m, name="Tape", quantity=30, threshold=0, department="Lab")
    issued_days_ago(m, "Tape", 30, "Lab", 1)
    issued_days_ago(m, "Gloves", 1, "Ward", 45)  # outside the window: not usage
    stock.restock(ctx=m, item="Gloves", quantity=1, department="Ward")
