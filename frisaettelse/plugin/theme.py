"""The theme's menu (`partials/nav.html`), rendered once per distinct input rather than once per page."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Hashable, Iterator
from operator import attrgetter
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.nav import Navigation


def _items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or [])


def _folders(url: str, *, page: bool = False) -> tuple[str, ...]:
    """`url`'s folders as mkdocs.utils.get_relative_url reads them (a page's file name left out)."""
    folder, _, name = url.rpartition("/")
    path = folder if page and "." in name else url
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(path.split("/")) if path else ()


def menu_cache(nav: Navigation, homepage: str) -> Callable[[Context], Markup]:
    """One build's menu. A page outside it sees it only through the items' `active` flags and the `url` filter,
    and an address relative to folder F/x is "../" + the one relative to F unless a target lies in F/x: so such
    pages with the same flags and parent folder, and no target in their folder, get the same HTML."""
    items = list(_items(nav.items))
    targets = [_folders(str(url).replace("\\", "/")) for url in [homepage, *(i.url for i in items if not i.is_section)]]
    holding = {target[:n] for target in targets for n in range(1, len(target) + 1)}
    in_menu = {page.file.src_uri for page in nav.pages}
    cache: dict[Hashable, Markup] = {}

    @pass_context
    def menu(context: Context) -> Markup:
        page, key = context.get("page"), None
        folders = _folders(page.url, page=True) if page is not None else ()
        if folders and folders not in holding and page.file.src_uri not in in_menu:
            key = (tuple(map(attrgetter("active"), items)), folders[:-1])
        html = cache.get(key)
        if html is None:
            html = Markup(context.environment.get_template("partials/nav.html").render(context.get_all()))
            if key is not None:
                cache[key] = html
        return html

    return menu
