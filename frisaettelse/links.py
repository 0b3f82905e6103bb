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
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

from .index import SiteIndex, Story
from .problems import Problem
from .render import heading_slug

LINK_CODE = "FM031"
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{\s*#([\w-]+)\s*\})?\s*#*\s*$")
_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables"]


class _Collect(Treeprocessor):
    """Collects link and image addresses from Markdown's element tree, as MkDocs' link check sees them: raw HTML
    is still stashed away at this point, so only Markdown's own links count (raw HTML is the sanitiser's job)."""

    def __init__(self, md: markdown.Markdown, found: list[str]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            value = element.get(attribute) if attribute else None
            if value:
                self.found.append(value)


class _LinkFinder:
    """One Markdown parser for every story of a build: making a parser costs about as much as a story's parse."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.md = markdown.Markdown(extensions=_EXTENSIONS)
        self.md.treeprocessors.register(_Collect(self.md, self.found), "frisaettelse-links", 1)

    def __call__(self, body: str) -> list[str]:
        # Every Markdown link or image has "](" (inline) or "]:" (a reference's definition); most stories have
        # neither, and need no parse at all.
        if "](" not in body and "]:" not in body:
            return []
        self.found.clear()
        self.md.reset()
        self.md.convert(body)
        return list(self.found)


def targets(body: str) -> list[str]:
    """Every Markdown link and image address in a story's body."""
    return _LinkFinder()(body)


def anchors(markdown_text: str) -> set[str]:
    """The section ids a Markdown page will have: explicit `{ #id }` or the toc's slug of the heading."""
    found = set()
    for line in markdown_text.split("\n"):
        match = _HEADING.match(line)
        if match:
            found.add(match.group(2) or heading_slug(match.group(1)))
    return found


def _line_of(story: Story, needle: str) -> int:
    for number, line in enumerate(story.body.split("\n"), start=story.body_line):
        if needle in line:
            return number
    return story.body_line


def link_problems(
    index: SiteIndex, page_srcs: set[str], docs_dir: Path, page_markdown: Callable[[str], str | None]
) -> list[Problem]:
    """FM031 for every link in a story's body that the strict build would refuse."""
    problems = []
    find = _LinkFinder()
    for story in index.stories.values():
        for target, reason in _broken(find(story.body), story, page_srcs, docs_dir, page_markdown):
            problems.append(
                Problem(
                    story.path,
                    _line_of(story, target.split("#")[0] or target),
                    LINK_CODE,
                    f"Linket '{target}' {reason}.",
                    "Link til andre sites med hele adressen (https://…), og til sider her på sitet med deres "
                    "filnavn, fx [aftalen](../aftalen/index.md), eller fjern linket.",
                )
            )
    return problems


def _broken(
    found: list[str], story: Story, page_srcs: set[str], docs_dir: Path, page_markdown: Callable[[str], str | None]
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
                text = page_markdown(resolved)
                if text is not None and anchor not in anchors(text):
                    yield target, f"peger på et afsnit (#{anchor}), som siden ikke har"
        elif path and not (docs_dir / resolved).is_file():
            yield target, "peger på en fil, der ikke findes (skriv sider med endelsen .md)"
