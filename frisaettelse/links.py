"""Links from a story to the site itself, checked before the build.

A strict MkDocs build fails on a link to a page, a file or a section that does not exist, and on a link written
as an absolute path. `check` must say so first, with the story's file and line (rule FM031): the same
conditions, decided from the address book instead of from MkDocs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from . import render
from .markup import Converter
from .model import SiteIndex, Story
from .problems import Code, Problem

LINK_CODE = Code.FM031
LINK_HINT = (
    "Link til andre sites med hele adressen (https://…), og til sider her på sitet med deres filnavn, "
    "fx [aftalen](../aftalen/index.md), eller fjern linket."
)
# How MkDocs splits a page's front-matter from its Markdown (mkdocs/utils/meta.py).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class _Conf(dict[str, Any]):
    plugins: dict[str, Any]


def _expand_macros(text: str, src: str, index: SiteIndex) -> str:
    """A docs page with its macros run as mkdocs-macros runs them (the generated parts have ids too, such as the
    guide's `#fm003`); a macro that needs more than the index gives nothing here."""
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


class _Anchors:
    """The ids each page of the site gets, from the page converted with the site's Markdown settings."""

    def __init__(self, index: SiteIndex, converter: Converter, docs_dir: Path):
        self.index, self.converter, self.docs_dir = index, converter, docs_dir
        self._ids: dict[str, frozenset[str] | None] = {}

    def __call__(self, src: str) -> frozenset[str] | None:
        if src not in self._ids:
            self._ids[src] = self._read(src)
        return self._ids[src]

    def _read(self, src: str) -> frozenset[str] | None:
        if src not in self.index.docs_pages:  # a story's page as the plugin hands it to MkDocs
            story = self.index.story_for_src(src)
            text = render.story_page(story, self.index) if story is not None else None
        else:
            try:
                text = (self.docs_dir / src).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return None
            text = _expand_macros(_FRONT_MATTER.sub("", text, count=1), src, self.index)
            concept = self.index.concept_for_src(src)
            if concept is not None:  # as the plugin's on_page_markdown adds it
                text += "\n" + render.concept_stories(concept, self.index)
        rendered = self.converter.convert(text) if text is not None else None
        return rendered.ids if rendered else None


def _line_of(story: Story, needle: str) -> int:
    for number, line in enumerate(story.body.split("\n"), start=story.body_line):
        if needle in line:
            return number
    return story.body_line


def link_problems(index: SiteIndex, page_srcs: set[str], docs_dir: Path) -> list[Problem]:
    """FM031 for every link in a story's body that the strict build would refuse: its links from the build's one
    conversion of the body, the ids of the page it points to from that page converted the same way."""
    problems = []
    anchors = _Anchors(index, index.converter, docs_dir)
    for story in index.stories.values():
        rendered = index.converter.convert(story.body) if ("](" in story.body or "]:" in story.body) else None
        found = list(rendered.links) if rendered else []
        for target, reason in _broken(found, story, page_srcs, docs_dir, anchors):
            problems.append(
                Problem(
                    story.path,
                    _line_of(story, target.split("#")[0] or target),
                    LINK_CODE,
                    f"Linket '{target}' {reason}.",
                    LINK_HINT,
                )
            )
    return problems


def _broken(
    found: list[str], story: Story, page_srcs: set[str], docs_dir: Path, anchors: _Anchors
) -> Iterator[tuple[str, str]]:
    for target in found:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # another site, or mailto: the sanitiser decides what may stay
        path, anchor = unquote(parts.path), parts.fragment
        if path.startswith("/"):
            yield target, "peger på en adresse fra sitets rod, som ikke virker, når sitet ligger i en undermappe"
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(story.src_uri), path)) if path else story.src_uri
        if resolved.startswith("../") or resolved == "..":
            yield target, "peger uden for sitet"
        elif resolved.endswith(".md"):
            if resolved not in page_srcs:
                yield target, "peger på en side, der ikke findes"
            elif anchor:
                ids = anchors(resolved)
                if ids is not None and anchor not in ids:  # compared as written, as MkDocs does
                    yield target, f"peger på et afsnit (#{anchor}), som siden ikke har"
        elif path and not (docs_dir / resolved).is_file():
            yield target, "peger på en fil, der ikke findes (skriv sider med endelsen .md)"
