"""Fetch a page's JavaScript before the person goes there (React Router's
``PrefetchPageLinks``: ``<link rel="modulepreload">`` for the route's modules)."""

from __future__ import annotations

import reflex as rx

__all__ = ["prefetch_page"]


class PrefetchPageLinks(rx.Component):
    library = "react-router"
    tag = "PrefetchPageLinks"

    page: rx.Var[str]


def prefetch_page(path: str) -> rx.Component:
    """The modules of the page at ``path``, fetched while this page is shown, so that a
    redirect there (the dashboard after signing in) does not wait for them."""
    return PrefetchPageLinks.create(page=path)
