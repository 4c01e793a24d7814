"""/settings: the signed-in person's own notification preference and e-mail."""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services import users
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import text_field

__all__ = ["SettingsState"]


class SettingsState(AuthState):
    email: str = ""
    preference: str = "email"
    loaded: bool = False

    @rx.event
    @reports_errors
    async def open_page(self) -> None:
        ctx = await self._session()
        me = await call_service(users.get_me, ctx=ctx)
        self.email, self.preference, self.loaded = me.email or "", me.notification_preference, True

    @rx.event
    @reports_errors
    async def save(self, form: dict[str, Any]) -> Any:
        preference = str(form.get("preference") or "")
        if preference not in {p.value for p in users.NotificationPreference}:
            return rx.toast.error("Choose how you want to hear about low stock.")
        ctx = await self._session()
        me = await call_service(
            users.update_me,
            ctx=ctx,
            notification_preference=users.NotificationPreference(preference),
            email=text_field(form, "email", limit=254),
        )
        self.email, self.preference = me.email or "", me.notification_preference
        return rx.toast.success("Settings saved.")
