"""/settings: the weekly reorder digest, on or off for the signed-in manager or admin, and
(admins) the organisation's time zone, in which it goes out on Monday at 07:00."""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.services import reports
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, call_service, reports_errors

__all__ = ["TIME_ZONES", "DigestState"]

TIME_ZONES = reports.time_zones()


class DigestState(AuthState):
    enabled: bool = False
    eligible: bool = False
    reason: str = ""
    time_zone: str = "UTC"
    next_at: str = ""
    ready: bool = False

    def _show(self, settings: reports.DigestSettings) -> None:
        self.enabled, self.eligible = settings.enabled, settings.eligible
        self.reason, self.time_zone = settings.reason or "", settings.time_zone
        self.next_at = settings.next_digest_at.strftime("%Y-%m-%d %H:%M UTC")
        self.ready = True

    async def _read(self, ctx: Context) -> None:
        self._show(await call_service(reports.digest_settings, ctx=ctx))

    @rx.event
    @reports_errors
    async def load(self) -> None:
        """on_load of /settings (managers and admins; others have no digest)."""
        ctx = await self._session()
        if ctx.role in (Role.MANAGER, Role.ADMIN):
            await self._read(ctx)

    @rx.event
    @reports_errors
    async def save(self, form: dict[str, Any]) -> Any:
        ctx = await self._session(Role.MANAGER)
        enabled = bool(form.get("digest-enabled"))
        zone = str(form.get("digest-time-zone") or "")
        if ctx.role == Role.ADMIN and zone and zone != self.time_zone:
            if zone not in TIME_ZONES:
                return rx.toast.error("Choose a time zone from the list.")
            self._show(await call_service(reports.set_time_zone, ctx=ctx, time_zone=zone))
        self._show(await call_service(reports.set_weekly_digest, ctx=ctx, enabled=enabled))
        return rx.toast.success("Weekly digest on." if self.enabled else "Weekly digest off.")
