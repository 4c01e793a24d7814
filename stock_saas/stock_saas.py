"""The Reflex app: pages, the live-event bridge, and the REST API mounted under /api."""

from __future__ import annotations

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
from stock_saas.state.webhooks import WebhooksState
from stock_saas.tasks.webhooks import webhook_dispatch

__all__ = ["app"]


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

app.add_page(
    login_page, route="/login", title="Sign in · Stock-SaaS", on_load=LoginState.open_login
)
app.add_page(register_page, route="/register", title="Create account · Stock-SaaS")
app.add_page(
    dashboard_page,
    route="/",
    title="Dashboard · Stock-SaaS",
    on_load=[DashboardState.open_page, OverviewState.load],
)
app.add_page(users_page, route="/users", title="People · Stock-SaaS", on_load=PeopleState.open_page)
app.add_page(
    audit_page,
    route="/audit",
    title="Audit log · Stock-SaaS",
    on_load=[AuditState.open_page, ExportState.load],
)
app.add_page(
    counts_page,
    route="/counts",
    title="Counts · Stock-SaaS",
    on_load=CountsState.open_page,
)
app.add_page(
    reorder_page,
    route="/reorder",
    title="Reorder · Stock-SaaS",
    on_load=ReorderState.open_page,
)
app.add_page(
    reorder_print_page,
    route="/reorder/print",
    title="Reorder list · Stock-SaaS",
    on_load=ReorderState.open_page,
)
app.add_page(
    import_page,
    route="/import",
    title="Import · Stock-SaaS",
    on_load=ImportState.open_page,
)
app.add_page(
    settings_page,
    route="/settings",
    title="My settings · Stock-SaaS",
    on_load=[SettingsState.open_page, DigestState.load, TwoFactorState.load],
)
app.add_page(
    webhooks_page,
    route="/webhooks",
    title="Webhooks · Stock-SaaS",
    on_load=WebhooksState.open_page,
)
app.add_page(
    integrations_page,
    route="/settings/integrations",
    title="Integrations · Stock-SaaS",
    on_load=ApiKeysState.open_page,
)
