"""/import: a CSV file in, its dry run shown (counts, changes old -> new, row errors),
then the same file applied on confirm, for managers and admins.

The uploaded bytes stay on the server in the backend-only ``_data`` of this tab's state
(never sent to the browser); Import applies exactly those bytes. The service checks the
size and row limits and raises its own errors: they show as a toast and inline. While
the service works, its progress (a thread) is polled into ``progress`` every half second.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from stock_saas.errors import StockSaasError, Unauthorized
from stock_saas.services import imports
from stock_saas.services.core import Context, Role
from stock_saas.state.auth import AuthState, call_service
from stock_saas.state.page_load import ManagerPageState

__all__ = ["ChangeLine", "ErrorLine", "ImportState"]

UPLOAD_ID = "import-upload"
_POLL_SECONDS = 0.5


@dataclasses.dataclass
class ChangeLine:
    """One stock level the file creates or changes (quantities as text: '—' for none)."""

    row: int = 0
    name: str = ""
    department: str = ""
    action: str = ""
    quantity: str = ""  # "30 → 42"
    threshold: str = ""


@dataclasses.dataclass
class ErrorLine:
    row: int = 0
    column: str = ""
    message: str = ""


def _old_new(old: int | None, new: int) -> str:
    return f"new: {new}" if old is None else f"{old} → {new}"


def _change(change: imports.LevelChange) -> ChangeLine:
    return ChangeLine(
        row=change.row,
        name=change.name,
        department=change.department,
        action=change.action,
        quantity=_old_new(change.old_quantity, change.new_quantity),
        threshold=_old_new(change.old_threshold, change.new_threshold),
    )


class ImportState(ManagerPageState, AuthState):
    file_name: str = ""
    busy: bool = False
    busy_text: str = ""
    progress: int = 0
    checked: bool = False  # a dry run of the current file is shown
    applied: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[ChangeLine] = []
    errors: list[ErrorLine] = []
    problem: str = ""  # the service's refusal (too large, not CSV …), shown inline
    result: str = ""
    _data: bytes = b""

    @rx.var
    def can_import(self) -> bool:
        return self.checked and not self.errors and not self.applied and not self.busy

    def _clear(self) -> None:
        self.file_name, self.busy_text, self.problem, self.result = "", "", "", ""
        self.checked, self.applied, self.progress = False, False, 0
        self.created = self.updated = self.unchanged = 0
        self.changes, self.errors = [], []
        self._data = b""

    async def _load_page(self, ctx: Context) -> None:
        self._clear()

    def _show(self, result: imports.ImportResult) -> None:
        self.created, self.updated, self.unchanged = (
            result.created,
            result.updated,
            result.unchanged,
        )
        self.changes = [_change(c) for c in result.changes if c.action != "unchanged"]
        self.errors = [
            ErrorLine(row=e.row, column=e.column, message=e.message) for e in result.errors
        ]

    async def _run(
        self, ctx: Context, *, dry_run: bool
    ) -> AsyncIterator[imports.ImportResult | None]:
        """Run the service on ``_data`` in a thread, yielding None to push its progress,
        and finally its result."""
        done = {"fraction": 0.0}

        def progress(_stage: str, fraction: float) -> None:
            done["fraction"] = fraction

        task = asyncio.ensure_future(
            call_service(
                imports.import_stock, ctx=ctx, data=self._data, dry_run=dry_run, progress=progress
            )
        )
        while not task.done():
            await asyncio.wait({task}, timeout=_POLL_SECONDS)
            self.progress = round(100 * done["fraction"])
            if not task.done():
                yield None
        yield task.result()

    def _refused(self, exc: StockSaasError) -> Any:
        self.problem = exc.detail
        self.busy, self.busy_text = False, ""
        if isinstance(exc, Unauthorized):
            return [rx.toast.error(exc.detail), rx.redirect("/login")]
        return rx.toast.error(exc.detail, close_button=True)

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]) -> AsyncIterator[Any]:
        """The chosen file: checked against the limits, then its dry run shown."""
        self._clear()
        if not files:
            return
        upload = files[0]
        self.file_name = upload.name or upload.filename or "file"
        try:
            ctx = await self._session(Role.MANAGER)
            imports.check_size(upload.size or 0)
            data = await upload.read()
            imports.check_size(len(data))
            self._data = data
            self.busy = True
            rows = max(0, data.count(b"\n") - 1)
            self.busy_text = f"Checking {rows:,} rows…"
            yield
            async for outcome in self._run(ctx, dry_run=True):
                if outcome is None:
                    yield
                    continue
                self._show(outcome)
        except StockSaasError as exc:
            self._data = b""
            yield self._refused(exc)
            return
        self.busy, self.busy_text, self.checked = False, "", True  # errors show inline

    @rx.event
    async def confirm(self) -> AsyncIterator[Any]:
        """Apply the checked file (only when its dry run had no errors)."""
        if not self.can_import or not self._data:
            return
        self.busy, self.busy_text, self.progress = True, "Importing…", 0
        yield
        try:
            ctx = await self._session(Role.MANAGER)
            async for outcome in self._run(ctx, dry_run=False):
                if outcome is None:
                    yield
                    continue
                self._show(outcome)
                self.applied = outcome.applied
        except StockSaasError as exc:
            yield self._refused(exc)
            return
        self.busy, self.busy_text = False, ""
        if not self.applied:
            yield rx.toast.error("The file has errors now; nothing was imported.")
            return
        self._data = b""
        self.result = (
            f"Imported: {self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged."
        )
        yield rx.toast.success(self.result)
