"""The set-up step inside sign-in: an admin or manager whose organisation requires two-factor
sign-in, and who has none yet, sets it up on /login after a correct password, then is in.

Whose step it is lives in a backend-only var, set only by the sign-in event after the
password was accepted (``TwoFactorSetupRequired``); the browser cannot name anyone. Until
the code is confirmed there is no session, so every other page sends them back to /login.
As on /settings, the secret and the recovery codes never live in this state: the events
write them into the page (``rx.set_value``, the QR code by script).
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source
from stock_saas.state.auth import AuthState, call_service
from stock_saas.state.forms import text_field

__all__ = ["ENROL_CODE_ID", "ENROL_CODES_ID", "ENROL_QR_ID", "ENROL_SECRET_ID", "EnrolmentState"]

ENROL_SECRET_ID = "enrol-secret"  # noqa: S105 (ids of the page's fields)
ENROL_QR_ID = "enrol-qr"
ENROL_CODE_ID = "enrol-code"
ENROL_CODES_ID = "enrol-recovery-codes"


class EnrolmentState(AuthState):
    active: bool = False  # the step replaces the sign-in form
    finished: bool = False  # signed in; the recovery codes and "Continue" are shown
    codes_shown: bool = False
    problem: str = ""
    _pending_user_id: int = 0  # whose password sign-in accepted; never from the browser

    def _leave(self) -> None:
        self.active = self.finished = self.codes_shown = False
        self.problem, self._pending_user_id = "", 0

    async def _begin(self, user_id: int) -> list[Any]:
        """Called by the sign-in event only, once it has accepted ``user_id``'s password."""
        setup = await call_service(people.begin_enrolment, user_id=user_id)
        self._leave()
        self._pending_user_id, self.active = user_id, True
        image = json.dumps(setup.qr_data_uri)
        return [
            rx.set_value(ENROL_SECRET_ID, setup.secret),
            rx.call_script(f"document.getElementById({json.dumps(ENROL_QR_ID)}).src = {image}"),
        ]

    @rx.event
    async def confirm(self, form: dict[str, Any]) -> Any:
        if not self.active or not self._pending_user_id:
            self._leave()
            return rx.redirect("/login")
        code = text_field(form, ENROL_CODE_ID, limit=40)
        try:
            enrolled = await call_service(
                people.finish_enrolment, user_id=self._pending_user_id, code=code
            )
        except StockSaasError as exc:
            if exc.about_input:  # a code that does not match: try again
                self.problem = exc.detail
                return rx.set_focus(ENROL_CODE_ID)
            self._leave()  # e.g. deactivated meanwhile: start over
            return [rx.toast.error(exc.detail), rx.redirect("/login")]
        user = enrolled.signed.user
        self.session_token = enrolled.signed.token
        self._adopt(
            Context(
                tenant_id=user.tenant_id,
                role=Role(user.role),
                source=Source.UI,
                user_id=user.id,
                actor_name=user.username,
            )
        )
        self._pending_user_id, self.problem = 0, ""
        self.finished = self.codes_shown = True
        return [
            rx.set_value(ENROL_SECRET_ID, ""),
            rx.set_value(ENROL_CODES_ID, "  ".join(enrolled.recovery_codes.codes)),
        ]

    @rx.event
    def hide_codes(self) -> None:
        self.codes_shown = False

    @rx.event
    def done(self) -> Any:
        """ "Continue": into the app, signed in (the codes leave with the page)."""
        self._leave()
        return rx.redirect("/")
