"""/settings, admins: the organisation's policy "require two-factor sign-in for every admin
and manager" (the service decides who may change it and when)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from stock_saas.errors import Conflict
from stock_saas.services import people
from stock_saas.services.core import Role
from stock_saas.state.auth import AuthState, call_service, reports_errors

__all__ = ["POLICY_FIELD", "TwoFactorPolicyState"]

POLICY_FIELD = "require-two-factor"


class TwoFactorPolicyState(AuthState):
    required: bool = False
    ready: bool = False
    problem: str = ""
    revision: int = 0  # re-mounts the checkbox so it shows the saved value after a refusal

    def _show(self, settings: people.OrganisationSettings) -> None:
        self.required, self.ready = settings.require_two_factor, True
        self.revision += 1

    @rx.event
    @reports_errors
    async def load(self) -> None:
        """on_load of /settings (admins; others do not see the policy's switch)."""
        self.problem, self.ready = "", False
        ctx = await self._session()
        if ctx.role == Role.ADMIN:
            self._show(await call_service(people.organisation_settings, ctx=ctx))

    @rx.event
    @reports_errors
    async def save(self, form: dict[str, Any]) -> Any:
        ctx = await self._session(Role.ADMIN)
        wanted = bool(form.get(POLICY_FIELD))
        try:
            settings = await call_service(people.set_two_factor_required, ctx=ctx, required=wanted)
        except Conflict as exc:
            self.problem = exc.detail
            self.revision += 1
            return rx.set_focus(POLICY_FIELD)
        self.problem = ""
        self._show(settings)
        return rx.toast.success(
            "Two-factor sign-in is now required for admins and managers."
            if self.required
            else "Two-factor sign-in is no longer required."
        )
