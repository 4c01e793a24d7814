"""An import while others issue the same items: no unit lost or counted twice."""

from __future__ import annotations

import threading

from stock_saas.errors import InsufficientStock
from stock_saas.services import imports, stock
from stock_saas.services.core import Context
from tests.services.imports.helpers import audit_rows, books_balance, csv_bytes

ITEMS = [f"Item {n}" for n in range(200)]


def test_issues_during_an_import_are_neither_lost_nor_applied_twice(manager_a: Context):
    imports.import_stock(
        ctx=manager_a, data=csv_bytes("name,quantity", *(f"{n},1000" for n in ITEMS)), dry_run=False
    )
    stop = threading.Event()
    issued: list[str] = []

    def issue_all_the_time() -> None:
        n = 0
        while not stop.is_set():
            name = ITEMS[n % len(ITEMS)]
            try:
                stock.issue_stock(ctx=manager_a, item=name, quantity=1)
                issued.append(name)
            except InsufficientStock:
                pass
            n += 7

    workers = [threading.Thread(target=issue_all_the_time) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        for target in (500, 700, 600):
            data = csv_bytes("name,quantity", *(f"{n},{target}" for n in ITEMS))
            assert imports.import_stock(ctx=manager_a, data=data, dry_run=False).applied
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert issued, "the issuing threads never ran"
    assert books_balance(manager_a)
    audit = audit_rows(manager_a)
    assert sum(1 for a in audit if a.action == "issue") == len(issued)
    # Each level ends at the last import's quantity minus the issues that came after it.
    last_import = {a.stock_level_id: a for a in audit if a.action == "import"}
    rows = stock.list_stock(ctx=manager_a, limit=500).items
    levels = {r.stock_level_id: r.quantity for r in rows}
    for level_id, row in last_import.items():
        later = sum(1 for a in audit if a.stock_level_id == level_id and a.id > (row.id or 0)
                    and a.action == "issue")  # fmt: skip
        assert levels[level_id] == row.quantity_after - later
