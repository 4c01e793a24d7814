"""Triggers: a threshold crossing enqueues its check after commit, and a dead broker
never fails the change that crossed."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from celery import Celery

from stock_saas.config import get_settings
from stock_saas.errors import InsufficientStock
from stock_saas.services import stock
from stock_saas.services.stock import list_stock
from stock_saas.tasks import triggers
from stock_saas.tasks.celery_app import configure
from tests.tasks.conftest import Ward


@pytest.fixture
def dead_broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """Triggers installed against a Redis port where nothing listens."""
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    app = configure(Celery("dead"), get_settings())
    triggers.install(app)
    yield app
    triggers.uninstall()
    app.close()


def test_a_drop_with_the_broker_down_still_commits(ward: Ward, dead_broker: Celery):
    ward.drop()
    [row] = [r for r in list_stock(ctx=ward.manager).items if r.department == "Ward 3"]
    assert row.quantity == 5


def test_a_drop_with_the_broker_down_is_logged_for_the_sweep(
    ward: Ward, dead_broker: Celery, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING, logger="stock_saas.tasks.triggers"):
        ward.drop()
    assert "periodic sweep will catch up" in caplog.text


def test_a_failed_movement_enqueues_nothing(
    ward: Ward, dead_broker: Celery, caplog: pytest.LogCaptureFixture
):
    with (
        caplog.at_level(logging.WARNING, logger="stock_saas.tasks.triggers"),
        pytest.raises(InsufficientStock),
    ):
        stock.issue_stock(ctx=ward.manager, item="Gloves", quantity=25, department="Ward 3")
    assert "enqueue" not in caplog.text
