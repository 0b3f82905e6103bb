"""The search index: a story is one entry from the index (summary and facts shown, the words of body and principles
once each in a field never shown); a docs page is its sections as plain paragraphs, without what is generated."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from . import addresses
from .model import SiteIndex, Story
from .render import chosen_by, freed_to_is_chosen, kind_in_own_words
from .sanitize import html_text
from .schema import RULE_KIND_LABELS

WORDS_FIELD = "words"  # searched like the snippet, never shown
# lunr-languages' Danish stop words (Snowball's list): the search drops them from every query anyway.
STOP_WORDS = frozenset(
    "ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig din disse dog du efter "
    "eller en end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvis hvor i ikke ind jeg "
    "jer jo kunne man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over på selv "
    "sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville vor være været".split()
)
_WORD, _SPACE = re.compile(r"[^\W_]+"), re.compile(r"\s+")
# What a reader of a story's Markdown does not see: reference definitions, link targets, tags, addresses.
_NOT_WORDS = (r"(?m)^\s*\[[^\]]+\]:\s*\S+.*$", r"\]\([^)]*\)", r"<[^>]*>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")


def words(text: str) -> list[str]:
    """The words of a text as search sees them: letters and digits, lower case."""
    return [w.lower() for w in _WORD.findall(text)]


def _normal(text: str) -> str:
    """A title recognised whatever quotes, dashes or case surround it."""
    return " " + " ".join(words(text)) + " "


def _paras(*texts: str) -> str:
    return "".join(f"<p>{html_text(text)}</p>" for text in texts)


def markdown_words(markdown: str) -> list[str]:
    """The words a reader sees in a story's Markdown: no link targets, addresses, tags or entities."""
    for pattern, gap in zip(_NOT_WORDS, (" ", "] ", " "), strict=True):
        markdown = re.sub(pattern, gap, markdown)
    return _WORD.findall(_URL.sub(" ", unescape(markdown)))


def _entry(location: str, title: str, text: str, tags: tuple[str, ...] = (), words: str = "") -> dict[str, Any]:
    """A page, a section of a page, or a story, as the theme's search reads it."""
    extra = {"tags": list(tags)} if tags else {}
    return {"location": location, "title": title, "text": text, **extra} | ({WORDS_FIELD: words} if words else {})


def story_entry(story: Story, index: SiteIndex, *, use_directory_urls: bool = True) -> dict[str, Any]:
    facts = []  # what the story does not tell ("ikke oplyst") is nothing to find
    if story.tells_freed_from:
        kind = "" if kind_in_own_words(story) else f" ({RULE_KIND_LABELS[story.freed_from_kind]}, {chosen_by(story)})"
        facts.append(f"Fri fra: {story.freed_from}{kind}")
    if story.tells_freed_to and _normal(story.freed_to) != _normal(story.description):
        facts.append(f"Fri til: {story.freed_to}" + (f" ({chosen_by(story)})" if freed_to_is_chosen(story) else ""))
    facts.append(f"Område: {story.area.capitalize()}")
    seen = set(words(" ".join((story.title, *facts, story.description, *story.tags))))
    principles = " ".join(index.principles[p].title for p in story.principles if p in index.principles)
    found: list[str] = []
    for word in _WORD.findall(principles) + _WORD.findall(story.quote_role) + markdown_words(story.body):
        if (key := word.lower()) not in seen and key not in STOP_WORDS and len(key) > 1:
            seen.add(key)
            found.append(word)
    location, text = addresses.page_url(story.src_uri, use_directory_urls), _paras(story.description, " · ".join(facts))
    # The tags are front-matter text: sanitize.clean_search_index escapes them with the rest of the index.
    return _entry(location, html_text(story.title), text, story.tags, " ".join(found))


_SKIP = frozenset("script style nav form button svg template noscript iframe object select textarea label".split())
_HEADING = frozenset("h1 h2 h3 h4 h5 h6".split())
_GROUP = frozenset({"li", "article", "tr"})  # one item of a list: dropped whole when it is a generated one
_BLOCKS = (
    "p dt pre blockquote caption figcaption summary div table ul ol dl details figure section aside header footer hr"
)
_BLOCK = _HEADING | _GROUP | frozenset(_BLOCKS.split())
_GAP = frozenset({"dd", "td", "th", "br"})  # a space between a label and its value, or between cells
_FURNITURE = frozenset({"headerlink", "kilde"})  # the ¶ beside a heading, the "Kilde: …" line
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass
class _Part:
    """A section or a list item; `generated`: it links to, or listed, a generated page."""

    anchor: str | None = None
    level: int = 0
    title: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    generated: bool = False


class _PageParser(HTMLParser):
    """Splits a page's HTML at its headings with an id (as the theme links to them) into plain paragraphs."""

    def __init__(self, is_generated_link: Callable[[str], bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.is_generated_link = is_generated_link
        self.sections: list[_Part] = [_Part()]
        self.groups: list[_Part] = []
        self.stack: list[str] = []
        self.buffer: list[str] = []
        self.skip_depth: int | None = None  # stack depth of the element being skipped
        self.heading_depth: int | None = None

    def _blocks(self) -> list[str]:
        return self.groups[-1].blocks if self.groups else self.sections[-1].blocks

    def _flush(self, heading: bool = False) -> None:
        """The text written so far: a heading's title part, or a block of the innermost list item or section."""
        text, self.buffer = _SPACE.sub(" ", "".join(self.buffer)).strip(), []
        if heading or text:
            (self.sections[-1].title if heading else self._blocks()).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and self.skip_depth is None:
                self.buffer.append(" ")
            return
        self.stack.append(tag)
        attributes = dict(attrs)
        if self.skip_depth is not None:
            return
        classes = set((attributes.get("class") or "").split())
        if tag in _SKIP or "data-search-exclude" in attributes or _FURNITURE & classes:
            self.skip_depth = len(self.stack)
            return
        if tag == "a" and self.groups and self.is_generated_link(attributes.get("href") or ""):
            self.groups[-1].generated = True
        if tag in _HEADING and attributes.get("id"):
            self._flush()
            self.sections.append(_Part(attributes["id"], int(tag[1])))
            self.heading_depth = len(self.stack)
            return
        if tag in _BLOCK:
            self._flush()
        elif tag in _GAP:
            self.buffer.append(" ")
        if tag in _GROUP:
            self.groups.append(_Part())

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:  # a void element is never on it
            return
        while self.stack:  # close what the HTML left open
            depth, open_tag = len(self.stack), self.stack.pop()
            if self.skip_depth is not None:
                self.skip_depth = None if depth == self.skip_depth else self.skip_depth
            elif depth == self.heading_depth:
                self._flush(heading=True)
                self.heading_depth = None
            elif open_tag == "dt":
                self.buffer.append(" ")  # a term and its description are one paragraph: "Fri fra Kommunal …"
            elif open_tag in _GROUP:
                self._close_group()
            elif open_tag in _BLOCK:
                self._flush()
            if open_tag == tag:
                break

    def _close_group(self) -> None:
        self._flush()
        group = self.groups.pop()
        if group.generated:
            self.sections[-1].generated = True
        else:
            self._blocks().extend(group.blocks)

    def handle_data(self, data: str) -> None:
        if self.skip_depth is None:
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        while self.groups:
            self._close_group()
        self._flush()


def page_entries(
    page_html: str, *, url: str, title: str, story_titles: frozenset[str], is_generated_link: Callable[[str], bool]
) -> list[dict[str, Any]]:
    """A docs page as the theme's search expects it: the page first, then one entry per section with an id."""
    parser = _PageParser(is_generated_link)
    parser.feed(page_html)
    parser.close()
    sections = parser.sections
    if not sections[0].blocks and len(sections) > 1 and sections[1].level == 1:
        sections = sections[1:]  # the page is its H1 section, or what comes before the first heading
    page, *rest = sections
    entries = [_entry(url, html_text(" ".join(t for t in page.title if t) or title), _paras(*page.blocks))]
    for section in rest:
        heading = " ".join(t for t in section.title if t)
        # A story's snippet (the newsletter kit) has the story's own entry; a section that only listed stories goes.
        if _normal(heading) not in story_titles and not (section.generated and not section.blocks):
            entries.append(_entry(f"{url}#{section.anchor}", html_text(heading), _paras(*section.blocks)))
    return entries


class SearchIndexBuilder:
    """Collects the docs pages as they are rendered; writes the index over the theme's, keeping its configuration."""

    def __init__(self, index: SiteIndex, *, use_directory_urls: bool = True) -> None:
        self.index, self.use_directory_urls, self.entries = index, use_directory_urls, list[dict[str, Any]]()
        self.story_urls = frozenset(addresses.page_url(s.src_uri, use_directory_urls) for s in index.stories.values())
        self.story_titles = frozenset(_normal(s.title) for s in index.stories.values())
        generated_dirs = (*addresses.FACET_KEYS, addresses.TAGS_KEY, addresses.PAGINATION_DIR)
        self.listing_prefixes = tuple(f"{addresses.STORY_DIR}/{d}/" for d in generated_dirs)
        self.docs_urls = frozenset(addresses.page_url(src, use_directory_urls) for src in index.docs_pages)

    def is_generated_page(self, path: str) -> bool:  # a story or listing page, not a docs page like the tag index
        return path not in self.docs_urls and (path in self.story_urls or path.startswith(self.listing_prefixes))

    def add_page(self, *, src_uri: str, url: str, title: str, html_text: str, meta: Mapping[str, Any]) -> None:
        """A rendered page; stories (their entries come from the index) and `search: exclude` pages are skipped."""
        search = meta.get("search")
        if self.index.story_for_src(src_uri) is not None or isinstance(search, dict) and search.get("exclude"):
            return

        def is_generated_link(href: str) -> bool:
            parts = urlsplit(urljoin("http://site/" + url, href))
            path = posixpath.normpath(unquote(parts.path)).lstrip("/") + ("/" if parts.path.endswith("/") else "")
            return parts.netloc == "site" and self.is_generated_page(path)

        self.entries += page_entries(
            html_text, url=url, title=title, story_titles=self.story_titles, is_generated_link=is_generated_link
        )

    def write(self, site_dir: Path) -> Path | None:
        """Replace the theme's index in `site_dir`, the docs pages first; None when search is switched off."""
        path = site_dir / addresses.SEARCH_INDEX
        if not path.exists():
            return None
        config = json.loads(path.read_text(encoding="utf-8")).get("config", {})
        config["fields"] = dict(config.get("fields") or {})
        config["fields"].setdefault(WORDS_FIELD, {"boost": 1.0})
        udu = self.use_directory_urls
        stories = [story_entry(s, self.index, use_directory_urls=udu) for s in self.index.newest()]
        data = {"config": config, "docs": self.entries + stories}
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return path
