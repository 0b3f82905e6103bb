"""The theme's menu (`partials/nav.html`), rendered once per distinct input rather than once per page."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure import StructureItem
from mkdocs.utils import normalize_url


def _items(items: list[StructureItem]) -> Iterator[StructureItem]:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or [])


def menu_cache() -> Callable[[Context], Markup]:
    """A fresh cache per build. A page outside the menu sees the menu only through the items' `active` flags and
    the `url` filter's addresses relative to it: equal flags and addresses give the same HTML."""
    cache: dict[Hashable, Markup] = {}
    built_for: list[Any] = [None, [], [], set()]  # nav, its items, the `url` filter's inputs, the menu's sources

    @pass_context
    def menu(context: Context) -> Markup:
        page, nav, config = context.get("page"), context["nav"], context["config"]
        if built_for[0] is not nav:
            items = list(_items(nav.items))
            home = config.extra.get("homepage") or (nav.homepage and nav.homepage.url)
            targets = [home] + [item.url for item in items if not item.is_section]
            built_for[:] = nav, items, targets, {item.file.src_uri for item in items if item.is_page}
        items, targets, in_menu = built_for[1:]
        key = None
        if page is not None and page.file.src_uri not in in_menu and None not in targets:
            flags = tuple(getattr(item, "active", None) for item in items)
            key = (flags, tuple(normalize_url(url, page) for url in targets))
        html = cache.get(key)
        if html is None:
            html = Markup(context.environment.get_template("partials/nav.html").render(context.get_all()))
            if key is not None:
                cache[key] = html
        return html

    return menu
