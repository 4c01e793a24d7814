"""/users: the admin's people and invite codes (every call re-checked by the services).

A new invite's code is shown once and never kept in this state: ``create_invite``
writes it straight into the page's read-only field (``INVITE_CODE_ID``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import catalog, people
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import FormState, text_field
from stock_saas.state.page_load import AdminPageState
from stock_saas.state.views import line_of

__all__ = ["INVITE_CODE_ID", "InviteLine", "PeopleState", "PersonLine"]

ROLES = tuple(r.value for r in Role)
PREFERENCES = tuple(p.value for p in people.NotificationPreference)
INVITE_CODE_ID = "invite-code"


@dataclasses.dataclass
class PersonLine:
    id: int = 0
    username: str = ""
    email: str = ""
    role: str = ""
    department_id: str = ""
    notification_preference: str = ""
    is_active: bool = True


@dataclasses.dataclass
class InviteLine:
    id: int = 0
    hint: str = ""
    role: str = ""
    department: str = ""
    expires: str = ""
    status: str = ""


class PeopleState(AdminPageState, FormState, AuthState):
    people: list[PersonLine] = []
    invites: list[InviteLine] = []
    departments: list[dict[str, str]] = []
    create_open: bool = False
    invite_shown: bool = False  # the new code is in the page's field, never in this state

    async def _load_page(self, ctx: Context) -> None:
        self.invite_shown = False
        await self._load(ctx)

    async def _load(self, ctx: Context | None = None) -> None:
        ctx = ctx or await self._session(Role.ADMIN)
        members = await call_service(people.list_users, ctx=ctx)
        invites = await call_service(people.list_invites, ctx=ctx)
        departments = await call_service(catalog.list_departments, ctx=ctx)
        names = {d.id: d.name for d in departments}
        self.departments = [{"id": str(d.id), "name": d.name} for d in departments]
        self.people = [
            line_of(PersonLine, p, department_id=str(p.department_id or "")) for p in members
        ]
        self.invites = [
            line_of(
                InviteLine,
                i,
                hint=i.code_hint + "…",
                department=names.get(i.department_id or 0, "—"),
                expires=i.expires_at.strftime("%Y-%m-%d %H:%M"),
            )
            for i in invites
        ]

    @rx.event
    def set_create_open(self, value: bool) -> None:
        self.create_open = bool(value)
        self._clear_problem()

    @rx.event
    @reports_errors
    async def create_person(self, form: dict[str, Any]) -> Any:
        username = text_field(form, "username", limit=64)
        password = str(form.get("password") or "")
        role = str(form.get("role") or "user")
        if not username:
            return self._problem("Give the person a username.", field="new-username")
        if not password:
            return self._problem("Give a first password.", field="new-password")
        if role not in ROLES:
            return self._problem("Choose a role.", field="new-role")
        department = str(form.get("department_id") or "")
        ctx = await self._session(Role.ADMIN)
        try:
            await call_service(
                people.create_user,
                ctx=ctx,
                username=username,
                password=password,
                role=Role(role),
                email=text_field(form, "email", limit=254) or None,
                department_id=int(department) if department.isdigit() else None,
            )
        except StockSaasError as exc:
            if exc.about_input:
                return self._problem(exc.detail)
            raise
        self.create_open = False
        self._clear_problem()
        await self._load(ctx)
        return rx.toast.success(f"{username} can now sign in.")

    async def _update(self, user_id: int, **changes: Any) -> Any:
        ctx = await self._session(Role.ADMIN)
        person = await call_service(people.update_user, ctx=ctx, user_id=int(user_id), **changes)
        await self._load(ctx)
        return rx.toast.success(f"Saved {person.username}.")

    @rx.event
    @reports_errors
    async def change_role(self, user_id: int, role: str) -> Any:
        if role not in ROLES:
            return None
        return await self._update(user_id, role=Role(role))

    @rx.event
    @reports_errors
    async def change_department(self, user_id: int, department_id: str) -> Any:
        return await self._update(
            user_id, department_id=int(department_id) if department_id.isdigit() else None
        )

    @rx.event
    @reports_errors
    async def change_preference(self, user_id: int, preference: str) -> Any:
        if preference not in PREFERENCES:
            return None
        return await self._update(
            user_id, notification_preference=people.NotificationPreference(preference)
        )

    @rx.event
    @reports_errors
    async def set_active(self, user_id: int, active: bool) -> Any:
        return await self._update(user_id, is_active=bool(active))

    @rx.event
    @reports_errors
    async def create_invite(self, form: dict[str, Any]) -> Any:
        role = str(form.get("invite_role") or "user")
        department = str(form.get("invite_department") or "")
        if role not in ROLES:
            return None
        ctx = await self._session(Role.ADMIN)
        invite = await call_service(
            people.create_invite,
            ctx=ctx,
            role=Role(role),
            department_id=int(department) if department.isdigit() else None,
        )
        await self._load(ctx)
        self.invite_shown = True
        return [
            rx.set_value(INVITE_CODE_ID, invite.code),
            rx.toast.success("Invite created; it is shown once, copy it now."),
        ]

    @rx.event
    def hide_invite(self) -> None:
        self.invite_shown = False

    @rx.event
    @reports_errors
    async def revoke_invite(self, invite_id: int) -> Any:
        ctx = await self._session(Role.ADMIN)
        await call_service(people.revoke_invite, ctx=ctx, invite_id=int(invite_id))
        await self._load(ctx)
        return rx.toast.success("Invite revoked.")
