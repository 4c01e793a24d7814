"""An import, however large, enqueues one alert sweep of its tenant, not one per level."""

from __future__ import annotations

import logging

import pytest

from stock_saas.services import imports
from stock_saas.services.core import Context
from tests.tasks.test_triggers import dead_broker  # noqa: F401 (fixture)


@pytest.mark.usefixtures("dead_broker")
def test_an_import_below_thresholds_enqueues_one_sweep(
    manager_a: Context, caplog: pytest.LogCaptureFixture
):
    rows = "".join(f"Item {n},1,10\n" for n in range(40))
    with caplog.at_level(logging.WARNING, logger="stock_saas.tasks.triggers"):
        imports.import_stock(
            ctx=manager_a, data=f"name,quantity,threshold\n{rows}".encode(), dry_run=False
        )
    assert caplog.text.count("could not enqueue stock_saas.tasks.alerts.check_tenants") == 1
    assert "check_stock_level" not in caplog.text
