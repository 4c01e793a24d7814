"""Signing in (rate limited by the auth service) and signing up (new organisation or invite)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError, TwoFactorSetupRequired
from stock_saas.security.client_address import client_address
from stock_saas.services import people
from stock_saas.services.core import Context, Role, Source
from stock_saas.state.auth import AuthState, call_service
from stock_saas.state.dashboard import DashboardState
from stock_saas.state.enrolment import EnrolmentState

__all__ = ["LoginState", "RegisterState"]

BUSY_AFTER_SECONDS = 0.3


def _client_ip(state: rx.State) -> str | None:
    """The browser's address for the sign-in and sign-up limits: the socket's peer, or
    what a proxy named in FORWARDED_ALLOW_IPS forwarded (one rule with the API's)."""
    router = state.router
    forwarded = router.headers.raw_headers.get("x-forwarded-for")
    return client_address(router.session.client_ip or None, forwarded or None)


class LoginState(AuthState):
    """The /login form; errors are shown inline."""

    error: str = ""
    notice: str = ""
    busy: bool = False
    needs_code: bool = False  # the second step: the account has two-factor sign-in on

    @rx.event
    async def open_login(self) -> Any:
        """on_load of /login: a still-valid session goes straight to the dashboard."""
        self.error, self.needs_code = "", False
        (await self.get_state(EnrolmentState))._leave()
        if self.session_token:
            try:
                await self._session()
            except StockSaasError:
                await self._forget()
            else:
                return rx.redirect("/")
        return None

    @rx.event
    async def submit(self, form: dict[str, Any]) -> Any:
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        otp = str(form.get("otp") or "").strip()[:40] or None
        if not username or not password:
            self.error = "Enter your username and password."
            return
        self.error = ""
        checking = asyncio.ensure_future(
            call_service(
                people.sign_in,
                username=username,
                password=password,
                otp=otp,
                client_ip=_client_ip(self),
            )
        )
        # The button shows it is busy only when the check is slow enough to notice: sending
        # that state costs the usual sign-in a round of the event loop (20-30 ms of ~100).
        if not (await asyncio.wait({checking}, timeout=BUSY_AFTER_SECONDS))[0]:
            self.busy = True
            yield
        try:
            signed = await checking
        except TwoFactorSetupRequired as exc:
            # Right password, no second factor, and the organisation requires one: the
            # set-up step replaces this form (no session until it is done).
            enrolment = await self.get_state(EnrolmentState)
            try:
                updates = await enrolment._begin(exc.user_id)
            except StockSaasError as failed:
                self.error, self.busy = failed.detail, False
                return
            self.busy, self.error, self.notice = False, "", ""
            yield updates
            return
        except StockSaasError as exc:
            if exc.detail == people.CODE_REQUIRED:
                self.needs_code = True
                self.error = "Enter the code from your authenticator app."
            else:
                self.error = exc.detail
            self.busy = False
            return
        self.busy, self.notice, self.needs_code = False, "", False
        self.session_token = signed.token
        ctx = Context(
            tenant_id=signed.user.tenant_id,
            role=Role(signed.user.role),
            source=Source.UI,
            user_id=signed.user.id,
            actor_name=signed.user.username,
        )
        self._adopt(ctx)
        # The dashboard's first page goes out with the redirect (one render, with rows);
        # if it cannot be read now, the dashboard's own on_load reads it.
        with contextlib.suppress(StockSaasError):
            await (await self.get_state(DashboardState)).open_after_sign_in(ctx)
        yield rx.redirect("/")


class RegisterState(AuthState):
    """The /register form: found an organisation, or join one with an invite code."""

    join_with_invite: bool = False
    invite_code: str = ""
    invite_departments: list[dict[str, str]] = []
    invite_checked: bool = False
    error: str = ""
    busy: bool = False

    @rx.event
    def set_join_with_invite(self, value: bool) -> None:
        self.join_with_invite = bool(value)
        self.error = ""

    @rx.event
    async def check_invite(self, code: str) -> None:
        """Show the departments an invite code offers (public: the code is the secret)."""
        self.invite_code = (code or "").strip()[:100]
        self.invite_departments, self.invite_checked, self.error = [], False, ""
        if not self.invite_code:
            return
        try:
            departments = await call_service(
                people.invite_departments, invite_code=self.invite_code
            )
        except StockSaasError as exc:
            self.error = exc.detail
            return
        self.invite_departments = [{"id": str(d.id), "name": d.name} for d in departments]
        self.invite_checked = True

    @rx.event
    async def submit(self, form: dict[str, Any]) -> Any:
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        if password != str(form.get("password_again") or ""):
            self.error = "The two passwords differ."
            return None
        invite = str(form.get("invite_code") or "").strip() if self.join_with_invite else ""
        organisation = "" if self.join_with_invite else str(form.get("organisation") or "")
        department = str(form.get("department_id") or "")
        if self.join_with_invite and not invite:
            self.error = "Enter the invite code you were given."
            return None
        if not self.join_with_invite and not organisation.strip():
            self.error = "Name your organisation."
            return None
        self.busy, self.error = True, ""
        try:
            user = await call_service(
                people.register,
                username=username,
                password=password,
                email=str(form.get("email") or "") or None,
                organisation=organisation or None,
                invite_code=invite or None,
                department_id=int(department) if department.isdigit() else None,
                client_ip=_client_ip(self),
            )
        except StockSaasError as exc:
            self.error = exc.detail
            return None
        finally:
            self.busy = False
        login = await self.get_state(LoginState)
        login.notice = f"Account {user.username!r} created. Sign in to continue."
        login.error = ""
        self.invite_code, self.invite_departments, self.invite_checked = "", [], False
        return rx.redirect("/login")
