"""PostgreSQL + Redis with two backend workers: changes reach dashboards on both, and the
seeded convergence run (tests/e2e/convergence.py) ends with each dashboard equal to a
fresh load.

Each worker is its own ``reflex run --env prod`` process on its own port (Reflex's Redis
state manager, our Redis event transport); one browser context is served by each. Every
user of the cluster lives in this module, so it starts once per run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SOCKET_SPY
from tests.events.conftest import REDIS_TEST_URL
from tests.support.cluster import Cluster, two_worker_cluster

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with two_worker_cluster(tmp_path_factory.mktemp("events-cluster"), REDIS_TEST_URL) as made:
        yield made


def test_a_cli_change_reaches_dashboards_served_by_two_different_workers(
    cluster: Cluster, browser: Any
) -> None:
    from playwright.sync_api import expect

    from tests.e2e.flows import add_item, register_organisation, row, sign_in, unique

    env, (first_url, second_url) = cluster.env, cluster.urls
    organisation, admin = unique("Org"), unique("admin")
    contexts = [browser.new_context(base_url=url) for url in (first_url, second_url)]
    try:
        first = contexts[0].new_page()
        register_organisation(first, organisation, admin)
        sign_in(first, admin)
        add_item(first, "Saline", 50, 10)
        second = contexts[1].new_page()
        sign_in(second, admin)
        expect(row(second, "Saline").locator(".quantity")).to_have_text("50")

        done = subprocess.run(
            [sys.executable, "inventory.py", "issue", "Saline", "45", "--tenant", organisation],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        expect(row(first, "Saline").locator(".quantity")).to_have_text("5")
        expect(row(second, "Saline").locator(".quantity")).to_have_text("5")
        expect(row(second, "Saline").locator(".low-marker")).to_be_visible()
    finally:
        for context in contexts:
            context.close()


def test_department_changes_through_one_worker_reach_the_sidebar_served_by_the_other(
    cluster: Cluster, browser: Any
) -> None:
    import httpx
    from playwright.sync_api import expect

    from tests.e2e.flows import api_token, register_organisation, sign_in, unique

    first_url, second_url = cluster.urls
    admin = unique("admin")
    context = browser.new_context(base_url=first_url)
    try:
        page = context.new_page()
        register_organisation(page, unique("Org"), admin)
        sign_in(page, admin)
        sidebar = page.locator("#departments")
        expect(sidebar).to_contain_text("General")
        token, tenant_id = api_token(second_url, admin)
        api = httpx.Client(
            base_url=second_url,
            headers={"Authorization": f"Bearer {token}"},
            params={"tenant_id": tenant_id},
            timeout=30,
        )

        made = api.post("/api/departments", json={"name": "Ward Z", "tenant_id": tenant_id})
        assert made.status_code == 201, made.text
        expect(sidebar).to_contain_text("Ward Z")  # no stock moved: only catalog.changed
        department = made.json()["id"]
        renamed = api.patch(f"/api/departments/{department}", json={"name": "Ward Y"})
        assert renamed.is_success, renamed.text
        expect(sidebar).to_contain_text("Ward Y")
        expect(sidebar).not_to_contain_text("Ward Z")
        assert api.delete(f"/api/departments/{department}").is_success
        expect(sidebar).not_to_contain_text("Ward Y")
    finally:
        context.close()


def test_live_dashboards_on_two_workers_converge_to_a_fresh_load(
    cluster: Cluster, browser: Any
) -> None:
    from tests.e2e.convergence import converge

    contexts = []
    for url in cluster.urls:  # the first context on one worker, the second on the other
        context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 860})
        context.add_init_script(SOCKET_SPY)
        contexts.append(context)
    try:
        pages = (contexts[0].new_page(), contexts[1].new_page())

        # The API is the second worker's: its changes, like the first context's, are made
        # in one process and must reach the other's dashboards.
        converge(pages, cluster.urls[1], cluster.env)
    finally:
        for context in contexts:
            context.close()
