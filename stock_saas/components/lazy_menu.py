"""A dropdown menu mounted on its first use (``lazy_menu.jsx``): a page with many rows, each
with a menu, draws one plain button per row until a menu is opened."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

__all__ = ["lazy_menu"]


class LazyMenu(rx.Component):
    library = "$/public/" + rx.asset("lazy_menu.jsx", shared=True)
    tag = "LazyMenu"


def lazy_menu(button: Callable[..., rx.Component], content: rx.Component) -> rx.Component:
    """``rx.menu.root(rx.menu.trigger(button()), content)``, drawn as ``button()`` alone
    (announced as a menu button, closed) until it is first pressed."""
    placeholder = button(custom_attrs={"aria-haspopup": "menu", "aria-expanded": "false"})
    return LazyMenu.create(placeholder, rx.menu.root(rx.menu.trigger(button()), content))
