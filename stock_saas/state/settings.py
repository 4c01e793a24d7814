"""/settings: the signed-in person's own notification preference and e-mail."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from stock_saas.services import alerts, people
from stock_saas.services.core import Context
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import text_field
from stock_saas.state.page_load import PageLoadState
from stock_saas.state.views import line_of

__all__ = ["NoticeLine", "SettingsState"]


@dataclasses.dataclass
class NoticeLine:
    """One low-stock alert sent (or due) to the signed-in person."""

    id: int = 0
    created_at: str = ""
    channel: str = ""
    status: str = ""
    message: str = ""


class SettingsState(PageLoadState, AuthState):
    email: str = ""
    preference: str = "email"
    notices: list[NoticeLine] = []

    async def _load_page(self, ctx: Context) -> None:
        me = await call_service(people.get_me, ctx=ctx)
        self.email, self.preference = me.email or "", me.notification_preference
        notices = await call_service(alerts.my_notifications, ctx=ctx, limit=20)
        self.notices = [line_of(NoticeLine, n) for n in notices]

    @rx.event
    @reports_errors
    async def save(self, form: dict[str, Any]) -> Any:
        preference = str(form.get("preference") or "")
        if preference not in {p.value for p in people.NotificationPreference}:
            return rx.toast.error("Choose how you want to hear about low stock.")
        ctx = await self._session()
        me = await call_service(
            people.update_me,
            ctx=ctx,
            notification_preference=people.NotificationPreference(preference),
            email=text_field(form, "email", limit=254),
        )
        self.email, self.preference = me.email or "", me.notification_preference
        return rx.toast.success("Settings saved.")
