"""The Reflex app: pages, the live-event bridge, and the REST API mounted under /api."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.utils.prerequisites import get_states_dir

from stock_saas.api.app import create_app
from stock_saas.pages.audit import audit_page
from stock_saas.pages.counts import counts_page
from stock_saas.pages.dashboard import dashboard_page
from stock_saas.pages.integrations import integrations_page
from stock_saas.pages.people import users_page
from stock_saas.pages.reorder import reorder_page, reorder_print_page
from stock_saas.pages.settings import settings_page
from stock_saas.pages.signin import login_page, register_page
from stock_saas.pages.stock_import import import_page
from stock_saas.pages.webhooks import webhooks_page
from stock_saas.security.file_modes import keep_private, private_dir
from stock_saas.state.api_keys import ApiKeysState
from stock_saas.state.audit_export import ExportState
from stock_saas.state.audit_log import AuditState
from stock_saas.state.counts import CountsState
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.digest import DigestState
from stock_saas.state.live import live_bridge
from stock_saas.state.overview import OverviewState
from stock_saas.state.people import PeopleState
from stock_saas.state.reorder import ReorderState
from stock_saas.state.settings import SettingsState
from stock_saas.state.signin import LoginState
from stock_saas.state.stock_import import ImportState
from stock_saas.state.tab_guard import TabGuard
from stock_saas.state.two_factor import TwoFactorState
from stock_saas.state.two_factor_policy import TwoFactorPolicyState
from stock_saas.state.warm_up import warm_up_worker
from stock_saas.state.webhooks import WebhooksState
from stock_saas.tasks.webhooks import webhook_dispatch

__all__ = ["PAGES", "app"]


def private_files() -> None:
    """The running backend writes files 0600 (state files hold session JWTs), and the
    states directory is 0700 (see security.file_modes)."""
    keep_private()
    private_dir(get_states_dir())


app = rx.App(
    api_transformer=create_app(),  # the REST API under /api (an import error stops the start)
    head_components=[
        rx.el.meta(name="theme-color", content="#0d9488"),
        rx.script(src="/focus_return.js"),
    ],
    stylesheets=["/stock_saas.css"],
)
app.register_lifespan_task(private_files)  # first: before any state file is written
app.add_middleware(TabGuard())  # a hydrate without the tab's own session gets defaults only
app.register_lifespan_task(live_bridge)
app.register_lifespan_task(webhook_dispatch)  # events -> webhook deliveries (Celery)
app.register_lifespan_task(warm_up_worker)  # a first sign-in as fast as the next

# (route, page, title, on_load): one row per page.
PAGES: list[tuple[str, Callable[[], rx.Component], str, Any]] = [
    ("/login", login_page, "Sign in", LoginState.open_login),
    ("/register", register_page, "Create account", None),
    ("/", dashboard_page, "Dashboard", [DashboardState.open_page, OverviewState.load]),
    ("/users", users_page, "People", PeopleState.open_page),
    ("/audit", audit_page, "Audit log", [AuditState.open_page, ExportState.load]),
    ("/counts", counts_page, "Counts", CountsState.open_page),
    ("/reorder", reorder_page, "Reorder", ReorderState.open_page),
    ("/reorder/print", reorder_print_page, "Reorder list", ReorderState.open_page),
    ("/import", import_page, "Import", ImportState.open_page),
    (
        "/settings",
        settings_page,
        "My settings",
        [
            SettingsState.open_page,
            DigestState.load,
            TwoFactorState.load,
            TwoFactorPolicyState.load,
        ],
    ),
    ("/webhooks", webhooks_page, "Webhooks", WebhooksState.open_page),
    ("/settings/integrations", integrations_page, "Integrations", ApiKeysState.open_page),
]

for route, page, title, on_load in PAGES:
    app.add_page(page, route=route, title=f"{title} · Stock-SaaS", on_load=on_load)
