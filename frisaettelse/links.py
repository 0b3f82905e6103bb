"""Links from a story to the site itself, checked before the build (FM031): what a strict MkDocs build refuses (a
page, file or section that does not exist, an absolute path), decided from the address book, with file and line."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from . import render
from .model import Browse, SiteIndex, Story
from .problems import Code, Problem

LINK_HINT = (
    "Link til andre sites med hele adressen (https://…), og til sider her på sitet med deres filnavn, "
    "fx [aftalen](../aftalen/index.md), eller fjern linket."
)


def _expand_macros(text: str, src: str, index: SiteIndex, browse: Browse) -> str:
    """A docs page with its macros run as mkdocs-macros runs them (their parts have ids too, as the guide's #fm003)."""
    from .macros import define_env  # the macros module asks for the index through a plugin: give it ours

    macros: dict[str, Callable[..., Any]] = {}

    def macro(function: Callable[..., Any], name: str = "") -> None:
        def safe(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except Exception:  # the build itself reports a failing macro, in its own words
                return ""

        macros[name or function.__name__] = safe

    plugin = SimpleNamespace(index=index, browse=browse, site=SimpleNamespace(base=""), pages_from_stories=set())
    conf = {"use_directory_urls": True, "plugins": {"frisaettelse": plugin}}  # MkDocs' config as the macros read it
    define_env(SimpleNamespace(conf=conf, page=SimpleNamespace(file=SimpleNamespace(src_uri=src)), macro=macro))
    try:
        return jinja2.Environment(undefined=jinja2.ChainableUndefined).from_string(text).render(macros)
    except jinja2.TemplateError:
        return text


def _ids(index: SiteIndex, browse: Browse, src: str) -> frozenset[str] | None:
    """The ids a page gets: a docs page's Markdown as the plugin hands it to MkDocs, converted with the site's
    settings; a story's page as the plugin makes it."""
    story, document, concept = index.story_for_src(src), index.docs_documents.get(src), index.concept_for_src(src)
    if story is not None:  # its one conversion, and the page's own parts
        body = index.converter.convert_body(story.body)
        return render.story_ids(story, index, body) if body is not None else None
    if document is None:
        return None
    text = _expand_macros(document.body, src, index, browse)
    if concept is not None:  # as the plugin's on_page_content adds it
        text += "\n" + render.concept_stories(concept, index)
    rendered = index.converter.convert(text)
    return rendered.ids if rendered else None


def link_problems(index: SiteIndex, browse: Browse, page_srcs: set[str], docs_dir: Path) -> list[Problem]:
    """FM031 for every link in a story's body (from its one conversion) that the strict build would refuse."""
    problems = []
    anchors = functools.cache(functools.partial(_ids, index, browse))
    for story in index.stories.values():
        rendered = index.converter.convert_body(story.body) if ("](" in story.body or "]:" in story.body) else None
        for target in rendered.links if rendered else ():
            if reason := _broken(target, story, page_srcs, docs_dir, anchors):
                needle = target.split("#")[0] or target
                lines = enumerate(story.body.split("\n"), start=story.body_line)
                line = next((number for number, text in lines if needle in text), story.body_line)
                problems.append(Problem(story.path, line, Code.FM031, f"Linket '{target}' {reason}.", LINK_HINT))
    return problems


def _broken(
    target: str, story: Story, page_srcs: set[str], docs_dir: Path, anchors: Callable[[str], frozenset[str] | None]
) -> str | None:
    parts = urlsplit(target)
    path, anchor = unquote(parts.path), parts.fragment
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(story.src_uri), path)) if path else story.src_uri
    if parts.scheme or parts.netloc:
        return None  # another site, or mailto: the sanitiser decides what may stay
    if path.startswith("/"):
        return "peger på en adresse fra sitets rod, som ikke virker, når sitet ligger i en undermappe"
    if resolved.startswith("../") or resolved == "..":
        return "peger uden for sitet"
    if resolved.endswith(".md") and resolved not in page_srcs:
        return "peger på en side, der ikke findes"
    if resolved.endswith(".md") and anchor and (ids := anchors(resolved)) is not None and anchor not in ids:
        return f"peger på et afsnit (#{anchor}), som siden ikke har"  # the anchor as written, as MkDocs compares it
    if not resolved.endswith(".md") and path and not (docs_dir / resolved).is_file():
        return "peger på en fil, der ikke findes (skriv sider med endelsen .md)"
    return None
