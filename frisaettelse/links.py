"""Links from a story to the site itself, checked before the build (FM031): what a strict MkDocs build refuses (a
page, file or section that does not exist, an absolute path), decided from the address book, with file and line."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from . import render
from .model import SiteIndex, Story
from .problems import Code, Problem

LINK_CODE = Code.FM031
LINK_HINT = (
    "Link til andre sites med hele adressen (https://…), og til sider her på sitet med deres filnavn, "
    "fx [aftalen](../aftalen/index.md), eller fjern linket."
)


class _Conf(dict[str, Any]):
    plugins: dict[str, Any]


def _expand_macros(text: str, src: str, index: SiteIndex) -> str:
    """A docs page with its macros run as mkdocs-macros runs them (their parts have ids too, as the guide's #fm003)."""
    from .macros import define_env  # the macros module asks for the index through a plugin: give it ours

    macros: dict[str, Callable[..., Any]] = {}

    def macro(function: Callable[..., Any]) -> Callable[..., Any]:
        def safe(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except Exception:  # the build itself reports a failing macro, in its own words
                return ""

        macros[function.__name__] = safe
        return function

    conf = _Conf(use_directory_urls=True)  # MkDocs' config as the macros read it: conf["…"] and conf.plugins
    conf.plugins = {"frisaettelse": SimpleNamespace(index=index, browse=None, site=SimpleNamespace(base=""))}
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src, abs_src_path=None))
    define_env(SimpleNamespace(conf=conf, page=page, macro=macro))
    try:
        return jinja2.Environment(undefined=jinja2.ChainableUndefined).from_string(text).render(macros)
    except jinja2.TemplateError:
        return text


def _ids(index: SiteIndex, src: str) -> frozenset[str] | None:
    """The ids a page gets: its Markdown as the plugin hands it to MkDocs, converted with the site's settings."""
    story, document = index.story_for_src(src), index.docs_documents.get(src)
    if src in index.docs_pages:
        concept = index.concept_for_src(src)
        text = _expand_macros(document.body, src, index) if document else None
        if text is not None and concept is not None:  # as the plugin's on_page_content adds it
            text += "\n" + render.concept_stories(concept, index)
    else:
        text = render.story_page(story, index) if story is not None else None
    rendered = index.converter.convert(text) if text is not None else None
    return rendered.ids if rendered else None


def link_problems(index: SiteIndex, page_srcs: set[str], docs_dir: Path) -> list[Problem]:
    """FM031 for every link in a story's body (from its one conversion) that the strict build would refuse."""
    problems = []
    anchors = functools.cache(functools.partial(_ids, index))
    for story in index.stories.values():
        rendered = index.converter.convert(story.body) if ("](" in story.body or "]:" in story.body) else None
        for target, reason in _broken(list(rendered.links) if rendered else [], story, page_srcs, docs_dir, anchors):
            line = _line_of(story, target.split("#")[0] or target)
            problems.append(Problem(story.path, line, LINK_CODE, f"Linket '{target}' {reason}.", LINK_HINT))
    return problems


def _line_of(story: Story, needle: str) -> int:
    lines = enumerate(story.body.split("\n"), start=story.body_line)
    return next((number for number, line in lines if needle in line), story.body_line)


def _broken(
    found: list[str], story: Story, page_srcs: set[str], docs_dir: Path, anchors: Callable[[str], frozenset[str] | None]
) -> Iterator[tuple[str, str]]:
    for target in found:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # another site, or mailto: the sanitiser decides what may stay
        path, anchor = unquote(parts.path), parts.fragment
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(story.src_uri), path)) if path else story.src_uri
        if path.startswith("/"):
            yield target, "peger på en adresse fra sitets rod, som ikke virker, når sitet ligger i en undermappe"
        elif resolved.startswith("../") or resolved == "..":
            yield target, "peger uden for sitet"
        elif resolved.endswith(".md"):
            if resolved not in page_srcs:
                yield target, "peger på en side, der ikke findes"
            elif anchor and (ids := anchors(resolved)) is not None and anchor not in ids:  # as written, as MkDocs does
                yield target, f"peger på et afsnit (#{anchor}), som siden ikke har"
        elif path and not (docs_dir / resolved).is_file():
            yield target, "peger på en fil, der ikke findes (skriv sider med endelsen .md)"
