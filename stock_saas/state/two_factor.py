"""/settings: the signed-in person's two-factor sign-in (turn on with a QR code, confirm,
recovery codes, turn off).

The secret and the recovery codes are shown once and never kept in this state: the events
that make them write them into the page (``rx.set_value`` into read-only fields, the QR
code's image by script); the state keeps only flags saying what is visible.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import people
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import text_field

__all__ = ["CODES_ID", "QR_ID", "SECRET_ID", "TwoFactorState"]

SECRET_ID = "totp-secret"  # noqa: S105 (ids of the page's fields)
QR_ID = "totp-qr"
CODES_ID = "recovery-codes"


class TwoFactorState(AuthState):
    enabled: bool = False
    codes_left: int = 0
    setting_up: bool = False  # the secret and QR code are on the page
    codes_shown: bool = False  # the recovery codes are on the page
    problem: str = ""

    async def _read(self) -> None:
        status = await call_service(people.two_factor_status, ctx=await self._session())
        self.enabled, self.codes_left = status.enabled, status.recovery_codes_left

    @rx.event
    @reports_errors
    async def load(self) -> None:
        """on_load of /settings."""
        self.setting_up = self.codes_shown = False
        self.problem = ""
        await self._read()

    @rx.event
    @reports_errors
    async def start(self) -> Any:
        setup = await call_service(people.start_two_factor, ctx=await self._session())
        self.setting_up, self.problem = True, ""
        image = json.dumps(setup.qr_data_uri)
        return [
            rx.set_value(SECRET_ID, setup.secret),
            rx.call_script(f"document.getElementById({json.dumps(QR_ID)}).src = {image}"),
        ]

    @rx.event
    @reports_errors
    async def confirm(self, form: dict[str, Any]) -> Any:
        code = text_field(form, "totp-code", limit=40)
        try:
            made = await call_service(
                people.confirm_two_factor, ctx=await self._session(), code=code
            )
        except StockSaasError as exc:
            if exc.about_input:
                self.problem = exc.detail
                return rx.set_focus("totp-code")
            raise
        self.setting_up, self.codes_shown, self.problem = False, True, ""
        await self._read()
        return [
            rx.set_value(SECRET_ID, ""),
            rx.set_value(CODES_ID, "  ".join(made.codes)),
            rx.toast.success("Two-factor sign-in is on; keep the recovery codes safe."),
        ]

    @rx.event
    @reports_errors
    async def disable(self, form: dict[str, Any]) -> Any:
        code = text_field(form, "totp-off-code", limit=40)
        try:
            await call_service(people.disable_two_factor, ctx=await self._session(), code=code)
        except StockSaasError as exc:
            if exc.about_input:
                self.problem = exc.detail
                return rx.set_focus("totp-off-code")
            raise
        self.problem = ""
        await self._read()
        return rx.toast.success("Two-factor sign-in is off.")

    @rx.event
    def hide_codes(self) -> None:
        self.codes_shown = False
