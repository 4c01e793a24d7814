"""One import is one event: live dashboards reload once, SSE and the audit tail agree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stock_saas.services import events, imports, stock
from stock_saas.services.core import Context
from tests.services.imports.helpers import audit_rows, csv_bytes


@pytest.fixture
def published() -> Iterator[list[events.Event]]:
    seen: list[events.Event] = []
    events.subscribe_here(seen.append)
    yield seen
    events.unsubscribe_here(seen.append)


def test_an_import_publishes_one_event_not_one_per_level(
    manager_a: Context, published: list[events.Event]
):
    data = csv_bytes("name,quantity,threshold", *(f"Item {n},{n},5" for n in range(50)))
    imports.import_stock(ctx=manager_a, data=data, dry_run=False)
    assert [type(e) for e in published] == [events.StockImported]
    [imported] = published
    assert isinstance(imported, events.StockImported)
    assert imported.levels == 50 and imported.tenant_id == manager_a.tenant_id
    assert imported.audit_id == audit_rows(manager_a)[-1].id


def test_a_dry_run_and_a_no_op_import_publish_nothing(
    manager_a: Context, published: list[events.Event]
):
    data = csv_bytes("name,quantity", "Gloves,4")
    imports.import_stock(ctx=manager_a, data=data, dry_run=True)
    assert published == []
    imports.import_stock(ctx=manager_a, data=data, dry_run=False)
    imports.import_stock(ctx=manager_a, data=data, dry_run=False)
    assert len(published) == 1


def test_replay_rebuilds_the_import_as_one_event_between_the_others(manager_a: Context):
    stock.add_stock(ctx=manager_a, name="Tape", quantity=3)
    data = csv_bytes("name,quantity", *(f"Item {n},{n + 1}" for n in range(30)))
    imports.import_stock(ctx=manager_a, data=data, dry_run=False)
    stock.issue_stock(ctx=manager_a, item="Tape", quantity=1)
    replayed = events.replay(ctx=manager_a, after=(0, 0))
    assert [e.event.type for e in replayed] == ["stock.changed", "stock.imported", "stock.changed"]
    imported = replayed[1].event
    assert isinstance(imported, events.StockImported) and imported.levels == 30
    assert replayed[1].id == str(audit_rows(manager_a)[-2].id)
