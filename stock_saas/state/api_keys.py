"""/settings/integrations: the admin's API keys (make, list, revoke).

Every handler re-checks the admin session through the services. A new key is shown once
and never kept in this state: ``create_key`` writes it straight into the page's read-only
field (``KEY_FIELD_ID``, ``components.secrets``). The list is paged here, one page kept.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import reflex as rx

from stock_saas.errors import StockSaasError
from stock_saas.services import keys
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.forms import FormProblem, FormState, text_field, whole_number
from stock_saas.state.page_load import AdminPageState
from stock_saas.state.paging import PagedState
from stock_saas.state.views import line_of

__all__ = ["KEY_FIELD_ID", "ApiKeysState", "KeyLine"]

KEY_FIELD_ID = "new-api-key"
ROLES = [r.value for r in Role]


@dataclasses.dataclass
class KeyLine:
    id: int = 0
    name: str = ""
    prefix: str = ""
    role: str = ""
    read_only: bool = False
    created_by: str = ""
    created_at: str = ""
    expires_at: str = "never"
    last_used_at: str = "never"
    status: str = ""


class ApiKeysState(AdminPageState, PagedState, FormState, AuthState):
    SORTS: ClassVar[tuple[str, ...]] = ("created", "name")

    key_lines: list[KeyLine] = []
    key_shown: bool = False  # the new key is in the page's field, never in this state
    suspended_count: int = 0

    async def _load_rows(self, ctx: Context | None = None) -> None:
        ctx = ctx or await self._session(Role.ADMIN)
        found = await call_service(keys.list_keys, ctx=ctx)
        if self.sort == "name":
            found.sort(key=lambda k: k.name.lower(), reverse=self.descending)
        elif self.descending:
            found.reverse()  # the service lists newest first
        self.suspended_count = sum(1 for k in found if k.status is keys.ApiKeyStatus.SUSPENDED)
        if self._settle(len(found)):
            return await self._load_rows(ctx)
        self.key_lines = [line_of(KeyLine, k) for k in found[self.offset :][: self.page_size]]
        return None

    async def _load_page(self, ctx: Context) -> Any:
        self.key_shown = False
        self._clear_problem()
        await self._load_rows(ctx)
        if self.suspended_count:
            return rx.toast.warning(
                f"{self.suspended_count} API key(s) suspended: their creator is deactivated.",
                close_button=True,
            )
        return None

    @rx.event
    @reports_errors
    async def create_key(self, form: dict[str, Any]) -> Any:
        name = text_field(form, "name", limit=200)
        if not name:
            return self._problem("Name the key after what will use it.", field="key-name")
        role = str(form.get("role") or "")
        if role not in ROLES:
            return self._problem("Choose a role.", field="key-role")
        days = None
        if str(form.get("expires_in_days") or "").strip():
            try:
                days = whole_number(form, "expires_in_days", "days until it expires", minimum=1)
            except FormProblem as problem:
                return self._problem(str(problem), field="key-expires")
        ctx = await self._session(Role.ADMIN)
        try:
            made = await call_service(
                keys.create_key,
                ctx=ctx,
                name=name,
                role=Role(role),
                read_only=bool(form.get("read_only")),
                expires_in_days=days,
            )
        except StockSaasError as exc:
            if exc.about_input:
                return self._problem(exc.detail, field="key-name")
            raise
        self._clear_problem()
        self.page = 0
        await self._load_rows(ctx)
        self.key_shown = True
        return [
            rx.set_value(KEY_FIELD_ID, made.key),
            rx.toast.success(f"Key {made.name} made; copy it now, it is shown only once."),
        ]

    @rx.event
    def hide_key(self) -> None:
        self.key_shown = False

    @rx.event
    @reports_errors
    async def revoke(self, key_id: int) -> Any:
        ctx = await self._session(Role.ADMIN)
        await call_service(keys.revoke_key, ctx=ctx, key_id=int(key_id))
        await self._load_rows(ctx)
        return rx.toast.success("Key revoked; it no longer works.")
