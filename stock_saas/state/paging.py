"""One server-side page of a list: the paged-state mixin every table state uses.

A state mixes in :class:`PagedState`, implements ``_load_rows()`` (read one page with
``self.offset`` / ``self.page_size`` / ``self.sort`` / ``self.descending`` and call
``self._settle(total)``), and gets ``page``/``page_size``/``total``/``sort``, the computed
``page_count``/``range_text``/``has_previous``/``has_next``, and the browser-callable
handlers ``go_to_page``, ``next_page``, ``previous_page``, ``set_page_size`` and
``sort_by`` that ``components.data_table`` binds to. Every handler clamps what the
browser sends and re-reads through the state's own (session-checked) loader.

With ``URL_KEPT = True`` the page, size and sort (plus ``_filter_query()``) live in the
URL instead: a handler navigates to the new query and the page's on_load reads it back
(``_read_query``), so links are shareable and the back button steps through them.

A listing with keyset cursors passes its answer's ``next_cursor`` to ``_settle`` and asks
``_page_cursor()`` where a page starts: pages reached by next/previous are then read by
cursor (as fast deep as on top); a page typed into the URL falls back to the offset. The
cursors stay on the server (backend-only) and are dropped when filters, sort or size change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from stock_saas.state.auth import AuthState, reports_errors

__all__ = ["PAGE_SIZES", "PagedState"]

PAGE_SIZES = (25, 50, 100)


def _whole(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


class PagedState(AuthState, mixin=True):
    """Paging and sorting of one server-side list (``page`` counts from 0)."""

    page: int = 0
    page_size: int = PAGE_SIZES[0]
    total: int = 0
    sort: str = ""
    descending: bool = False
    shown: int = -1  # rows on this page when a cursor listing says so (else: a full page)
    total_more: bool = False  # the count stopped early: more than ``total`` rows match

    SORTS: ClassVar[tuple[str, ...]] = ()  # allowed sort keys; the first is the default
    PAGE_SIZES: ClassVar[tuple[int, ...]] = PAGE_SIZES
    URL_KEPT: ClassVar[bool] = False

    # page index -> the cursor that starts it, valid for the listing in _cursors_of
    _cursors: dict[int, str] = {}
    _cursors_of: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // max(1, self.page_size)))

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 0

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * self.page_size < self.total

    @rx.var
    def range_text(self) -> str:
        if not self.total:
            return "0 of 0"
        first = self.page * self.page_size + 1
        size = self.shown if self.shown > 0 else self.page_size
        more = "+" if self.total_more else ""
        return f"{first}-{min(self.total, first + size - 1)} of {self.total}{more}"

    @property
    def offset(self) -> int:
        return self.page * self.page_size

    def _settle(
        self, total: int, next_cursor: str | None = None, *, shown: int = -1, exact: bool = True
    ) -> bool:
        """Record ``total`` (and, for a cursor listing, where the next page starts and how
        many rows this page ``shown``); True when the caller must read again: the page is
        past the end (the last page is chosen), or a cursor page came back empty after
        rows went away (its offset is used instead). ``exact`` False: the count stopped
        early, so the total known is at least the rows up to this page, plus one when
        another page follows (a cursor, or a full page), which keeps "next" offered."""
        if not exact:
            follows = bool(next_cursor) or shown < 0 or shown >= self.page_size
            total = max(total, self.offset + max(shown, 0) + int(follows))
        self.total_more = not exact
        self.total, self.shown = max(0, int(total)), shown
        if shown == 0 and self.total and self._cursors.get(self.page):
            self._cursors = {}
            return True
        if self.total and self.offset >= self.total:
            self.page = (self.total - 1) // self.page_size
            return True
        if next_cursor:
            self._cursors = {**self._cursors, self.page + 1: next_cursor}
        return False

    def _page_cursor(self) -> str | None:
        """The cursor that starts the current page, if this listing has one for it. None
        means "read by offset", which starts a new chain of cursors from this page."""
        listing = repr((self.sort, self.descending, self.page_size, self._filter_query()))
        cursor = self._cursors.get(self.page) if listing == self._cursors_of else None
        if cursor is None:
            self._cursors, self._cursors_of = {}, listing
        return cursor

    async def _load_rows(self) -> None:
        """Read the current page (the state's own session check included)."""
        raise NotImplementedError

    # ---- what the browser may ask --------------------------------------------------

    @rx.event
    @reports_errors
    async def go_to_page(self, page: int) -> Any:
        wanted = _whole(page, self.page)
        return await self._paging_changed(page=max(0, min(wanted, self.page_count - 1)))

    @rx.event
    @reports_errors
    async def next_page(self) -> Any:
        return await self._paging_changed(page=self.page + 1 if self.has_next else self.page)

    @rx.event
    @reports_errors
    async def previous_page(self) -> Any:
        return await self._paging_changed(page=max(0, self.page - 1))

    @rx.event
    @reports_errors
    async def set_page_size(self, size: str) -> Any:
        if _whole(size) in self.PAGE_SIZES:
            return await self._paging_changed(page_size=_whole(size), page=0)
        return await self._paging_changed()

    @rx.event
    @reports_errors
    async def sort_by(self, column: str) -> Any:
        if column not in self.SORTS:
            return None
        if self.sort == column:
            return await self._paging_changed(descending=not self.descending, page=0)
        return await self._paging_changed(sort=column, descending=False, page=0)

    # ---- after a change: read again, or navigate to the new URL ----------------------

    async def _paging_changed(self, **paging: Any) -> Any:
        """Show the page with these ``paging`` values (page, page_size, sort, descending)."""
        if self.URL_KEPT:
            return self._navigate(paging=paging)
        for name, value in paging.items():
            setattr(self, name, value)
        await self._load_rows()
        return None

    def _navigate(
        self,
        *,
        replace: bool = False,
        paging: Mapping[str, Any] | None = None,
        filters: Mapping[str, str] | None = None,
    ) -> Any:
        """Go to this page's URL with the current paging and filters in the query, or
        with these ``paging`` values and ``filters`` (a ``_filter_query()``) instead.

        The state itself is left as it is: the page's on_load reads the URL back, so the
        browser renders the page once, with its new rows (a change here first would
        re-render everything this state shows, then again with the rows)."""
        chosen = {**self._page_values(), **(paging or {})}
        query = urlencode(
            {**(self._filter_query() if filters is None else filters), **self._page_query(**chosen)}
        )
        path = self.router.url.path or "/"
        return rx.redirect(f"{path}?{query}" if query else path, replace=replace)

    def _page_values(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "sort": self.sort,
            "descending": self.descending,
        }

    def _page_query(
        self, *, page: int, page_size: int, sort: str, descending: bool
    ) -> dict[str, str]:
        query: dict[str, str] = {}
        if page:
            query["page"] = str(page + 1)
        if page_size != self.PAGE_SIZES[0]:
            query["size"] = str(page_size)
        if sort and self.SORTS and sort != self.SORTS[0]:
            query["sort"] = sort
        if descending:
            query["desc"] = "1"
        return query

    def _filter_query(self) -> dict[str, str]:
        """The filters to keep in the URL (a URL-kept state overrides it)."""
        return {}

    def _read_query(self, params: Mapping[str, str]) -> None:
        """Adopt paging and sorting from a URL query (anything invalid: the default)."""
        size = _whole(params.get("size"), self.PAGE_SIZES[0])
        self.page_size = size if size in self.PAGE_SIZES else self.PAGE_SIZES[0]
        self.page = max(0, _whole(params.get("page"), 1) - 1)
        sort = params.get("sort", "")
        self.sort = sort if sort in self.SORTS else (self.SORTS[0] if self.SORTS else "")
        self.descending = params.get("desc") == "1"
