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
    which goes up from the page's folder to the part it shares with the target. That part lies within the page's
    deepest folder holding a target: pages with equal flags, depth and that folder get the same HTML."""
    items = list(_items(nav.items))
    targets = [_folders(str(url).replace("\\", "/")) for url in [homepage, *(i.url for i in items if not i.is_section)]]
    holding = {target[:n] for target in targets for n in range(1, len(target) + 1)}
    in_menu = {page.file.src_uri for page in nav.pages}
    cache: dict[Hashable, Markup] = {}

    @pass_context
    def menu(context: Context) -> Markup:
        page, key = context.get("page"), None
        if page is not None and page.file.src_uri not in in_menu:
            folders, shared = _folders(page.url, page=True), 0
            while shared < len(folders) and folders[: shared + 1] in holding:
                shared += 1
            key = (tuple(map(attrgetter("active"), items)), folders[:shared], len(folders))
        html = cache.get(key)
        if html is None:
            html = Markup(context.environment.get_template("partials/nav.html").render(context.get_all()))
            if key is not None:
                cache[key] = html
        return html

    return menu
