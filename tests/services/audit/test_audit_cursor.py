"""Keyset paging of the audit log: a walk by cursor sees every entry that was there when
it started exactly once, newest first, while movements keep adding entries."""

from __future__ import annotations

import pytest

from stock_saas.errors import Conflict
from stock_saas.services import audit, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import MovementAction


def _walk(ctx: Context, flt: audit.AuditFilter, *, during: Context | None = None) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = audit.latest(ctx=ctx, limit=3, flt=flt, cursor=cursor)
        seen += [entry.id for entry in page.entries]
        if during is not None:
            stock.issue_stock(ctx=during, item="Gloves", quantity=1)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_audit_walk_sees_every_entry_once_while_entries_are_added(
    admin_a: Context, manager_a: Context
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    for _ in range(10):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1)
    at_start = [e.id for e in audit.latest(ctx=admin_a, limit=1000).entries]
    assert _walk(admin_a, audit.AuditFilter(), during=manager_a) == at_start


def test_audit_walk_keeps_its_filter(admin_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    for _ in range(7):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1)
        stock.return_stock(ctx=manager_a, item="Gloves", quantity=1)
    flt = audit.AuditFilter(action=MovementAction.ISSUE)
    issues = [e.id for e in audit.latest(ctx=admin_a, limit=1000, flt=flt).entries]
    assert len(issues) == 7
    assert _walk(admin_a, flt) == issues


def test_audit_cursor_of_another_filter_is_refused(admin_a: Context, manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100)
    for _ in range(3):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=1)
    cursor = audit.latest(ctx=admin_a, limit=1).next_cursor
    assert cursor is not None
    flt = audit.AuditFilter(action=MovementAction.ISSUE)
    with pytest.raises(Conflict, match="other filters"):
        audit.latest(ctx=admin_a, limit=1, flt=flt, cursor=cursor)
