"""The audit page's CSV export: request it, watch its progress, download it.

A Celery worker writes the file (``services.exports``); this state polls the export's
status once a second while one is pending or running. The download goes through the
REST API (``GET /api/analytics/audit/export/{task_id}``) with the session's bearer
token, so the file is streamed and authorised like any API call.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from stock_saas.errors import Forbidden, StockSaasError
from stock_saas.services import exports
from stock_saas.services.core import Role
from stock_saas.state.audit_log import PERIODS, AuditState
from stock_saas.state.auth import AuthState, call_service, reports_errors
from stock_saas.state.views import line_of

__all__ = ["ExportLine", "ExportState"]

ACTIVE = (exports.ExportStatus.PENDING.value, exports.ExportStatus.RUNNING.value)
POLL_SECONDS = 1.0
POLL_LIMIT = 1800  # stop watching after half an hour; reopening the page resumes
_TASK_ID = re.compile(r"^[0-9a-f]{16,64}$")


@dataclasses.dataclass
class ExportLine:
    task_id: str = ""
    status: str = ""
    progress: int = 0
    rows: int = 0
    created: str = ""
    error: str = ""


def _line(export: exports.ExportView) -> ExportLine:
    return line_of(
        ExportLine,
        export,
        progress=int(export.progress),
        rows=export.rows_written,
        created=export.created_at.strftime("%Y-%m-%d %H:%M"),
    )


class ExportState(AuthState):
    exports: list[ExportLine] = []
    watching: bool = False

    @rx.var
    def active(self) -> bool:
        return any(e.status in ACTIVE for e in self.exports)

    async def _refresh(self) -> None:
        ctx = await self._session(Role.ADMIN)
        self.exports = [
            _line(s) for s in await call_service(exports.list_exports, ctx=ctx, limit=5)
        ]

    @rx.event
    @reports_errors
    async def load(self) -> Any:
        """on_load of /audit (after AuditState, which sends non-admins away quietly)."""
        try:
            await self._refresh()
        except Forbidden:
            return None
        return ExportState.watch if self.active else None

    @rx.event
    @reports_errors
    async def start_export(self) -> Any:
        """Export the audit log with the page's department and period filters."""
        audit = await self.get_state(AuditState)
        span = PERIODS.get(audit.period)
        ctx = await self._session(Role.ADMIN)
        await call_service(
            exports.request_export,
            ctx=ctx,
            since=datetime.now(UTC) - span if span else None,
            department_id=int(audit.department_id) if audit.department_id.isdigit() else None,
        )
        await self._refresh()
        return [rx.toast.info("Export started; it appears below when ready."), ExportState.watch]

    @rx.event(background=True)
    async def watch(self) -> Any:
        """Refresh the list every second while an export is pending or running."""
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            for _ in range(POLL_LIMIT):
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    try:
                        await self._refresh()
                    except StockSaasError:
                        return
                    if not self.active:
                        return
        finally:
            async with self:
                self.watching = False

    @rx.event
    @reports_errors
    async def download(self, task_id: str) -> Any:
        """Fetch the finished CSV through the API with this session's token."""
        if not _TASK_ID.match(task_id or ""):
            return None
        ctx = await self._session(Role.ADMIN)
        ready = await call_service(exports.export_file, ctx=ctx, task_id=task_id)
        url = f"/api/analytics/audit/export/{task_id}?tenant_id={ctx.tenant_id}"
        return rx.call_script(
            "(async () => {"
            f"const r = await fetch({json.dumps(url)}, {{headers: {{Authorization: "
            "'Bearer ' + localStorage.getItem('stock_saas_session')}});"
            "if (!r.ok) { alert('Download failed (' + r.status + ').'); return; }"
            "const a = document.createElement('a');"
            "a.href = URL.createObjectURL(await r.blob());"
            f"a.download = {json.dumps(ready.filename)};"
            "document.body.appendChild(a); a.click(); a.remove();"
            "setTimeout(() => URL.revokeObjectURL(a.href), 10000);"
            "})()"
        )
