"""Live dashboards converge on the embedded default (SQLite, one backend process): the
seeded run of tests/e2e/convergence.py (``CONVERGENCE_SEED=N`` replays a run). The same
run on PostgreSQL + Redis with two backend workers is in tests/events/test_multi_worker.py
(one cluster per test run)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import RunningApp
from tests.e2e.convergence import converge

pytestmark = pytest.mark.e2e


def test_live_dashboards_converge_to_a_fresh_load(
    new_context, app_url: str, running_app: RunningApp
) -> None:  # type: ignore[no-untyped-def]
    pages = (new_context().new_page(), new_context().new_page())

    converge(pages, app_url, running_app.env)
