"""Stock movements: each operation, and bad input that changes nothing."""

from __future__ import annotations

import pytest

from stock_saas.errors import InsufficientStock, NotFound
from stock_saas.services import audit, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import list_stock


def test_add_then_issue_leaves_the_rest_and_audits_both(manager_a: Context, admin_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=100, threshold=20)
    change = stock.issue_stock(ctx=manager_a, item="Gloves", quantity=90)
    assert change.quantity == 10
    assert change.low
    history = audit.latest(ctx=admin_a, limit=10)
    assert [e.delta for e in history.entries] == [-90, 100]


def test_issue_more_than_stock_changes_nothing(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    with pytest.raises(InsufficientStock):
        stock.issue_stock(ctx=manager_a, item="Gloves", quantity=11)
    assert list_stock(ctx=manager_a).items[0].quantity == 10


def test_other_tenant_cannot_issue(manager_a: Context, manager_b: Context):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10)
    with pytest.raises(NotFound):
        stock.issue_stock(ctx=manager_b, item="Gloves", quantity=1)
    assert list_stock(ctx=manager_b).total == 0
