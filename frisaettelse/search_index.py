"""The search index the reader's browser downloads: what search needs to find a page, and nothing more.

mkdocs-material's search plugin indexes every rendered page, section by section, so every story carries its facts
box, its cross-links, its related stories and its source line, and every docs page that lists stories repeats them
all: the file grows much faster than the number of stories. This module writes the index instead:

- a story is one entry built from the index (title; summary and facts as the snippet; tags; the words of its body
  and its principles, each once, in a field the theme searches but never shows);
- a docs page is its sections as plain paragraphs, without what the site generates from the stories: a list item,
  article or table row that links to a story or to a generated listing page, a section headed by a story's title
  (the newsletter snippets), navigation, forms and buttons;
- pages marked `search: exclude` (the listing pages) stay out.

Titles and snippets are plain text escaped for HTML by `sanitize.html_text` (the theme puts them into the page as
markup); the only markup is `<p>`, which the theme's snippets need to show and highlight paragraphs. The plugin then
hands the file to `sanitize.clean_search_index`, which cleans titles and snippets by allow-list and escapes the tags.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
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

INDEX_PATH = Path(addresses.SEARCH_INDEX)
WORDS_FIELD = "words"  # searched like the snippet, never shown (the theme shows title, text and tags only)

# lunr-languages' Danish stop words (Snowball's list): the search drops them from every query anyway.
STOP_WORDS: frozenset[str] = frozenset(
    "ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig din disse dog du efter "
    "eller en end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvis hvor i ikke ind jeg "
    "jer jo kunne man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over på selv "
    "sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville vor være været".split()
)

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


# --- plain text -----------------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of a text as search sees them: letters and digits, lower case."""
    return [w.lower() for w in _WORD.findall(text)]


def _normal(text: str) -> str:
    """A text reduced to its words, so a title is recognised whatever quotes, dashes or case surround it."""
    return " " + " ".join(words(text)) + " "


def _para(text: str) -> str:
    return f"<p>{html_text(text)}</p>"


_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MD_REF_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_HTML_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")


def markdown_words(markdown: str) -> list[str]:
    """The words a reader sees in a story's Markdown body: no link targets, addresses, tags or entities."""
    text = _MD_REF_DEFINITION.sub(" ", markdown)
    text = _MD_LINK_TARGET.sub("] ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _URL.sub(" ", unescape(text))
    return [w for w in _WORD.findall(text)]


# --- entries --------------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One document of the index: a page, a section of a page, or a story."""

    location: str
    title: str
    text: str = ""
    tags: tuple[str, ...] = ()
    words: str = ""

    def as_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"location": self.location, "title": self.title, "text": self.text}
        if self.tags:
            doc["tags"] = list(self.tags)
        if self.words:
            doc[WORDS_FIELD] = self.words
        return doc


def story_entry(story: Story, index: SiteIndex, *, use_directory_urls: bool = True) -> Entry:
    """A story as one entry: its summary and facts are the snippet; its body and principles are words to find."""
    facts = []  # what the story does not tell ("ikke oplyst") is nothing to find
    if story.tells_freed_from:
        kind = "" if kind_in_own_words(story) else f" ({RULE_KIND_LABELS[story.freed_from_kind]}, {chosen_by(story)})"
        facts.append(f"Fri fra: {story.freed_from}{kind}")
    if story.tells_freed_to and _normal(story.freed_to) != _normal(story.description):
        mark = f" ({chosen_by(story)})" if freed_to_is_chosen(story) else ""
        facts.append(f"Fri til: {story.freed_to}{mark}")
    facts.append(f"Område: {story.area.capitalize()}")
    text = _para(story.description) + _para(" · ".join(facts))
    seen = set(words(story.title)) | set(words(" ".join(facts))) | set(words(story.description))
    seen |= {w for tag in story.tags for w in words(tag)}
    sources = [index.principles[p].title for p in story.principles if p in index.principles]
    found: list[str] = []
    for word in (
        [w for s in sources for w in _WORD.findall(s)] + _WORD.findall(story.quote_role) + markdown_words(story.body)
    ):
        key = word.lower()
        if key in seen or key in STOP_WORDS or len(key) < 2:
            continue
        seen.add(key)
        found.append(word)
    return Entry(
        location=addresses.page_url(story.src_uri, use_directory_urls),
        title=html_text(story.title),
        text=text,
        tags=story.tags,  # front-matter text: sanitize.clean_search_index escapes it with the rest of the index
        words=" ".join(found),
    )


# --- docs pages -----------------------------------------------------------------------------------------------------

_SKIP = frozenset(
    {
        "script",
        "style",
        "nav",
        "form",
        "button",
        "svg",
        "template",
        "noscript",
        "iframe",
        "object",
        "select",
        "textarea",
        "label",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "li",
        "dt",
        "pre",
        "blockquote",
        "tr",
        "caption",
        "figcaption",
        "summary",
        "div",
        "table",
        "ul",
        "ol",
        "dl",
        "details",
        "figure",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
_GAP = frozenset({"dd", "td", "th", "br"})  # a space between a label and its value, or between cells
# Page furniture, the same on many pages: the ¶ link beside a heading, and the "Kilde: …" line (render.source_line).
_FURNITURE = frozenset({"headerlink", "kilde"})
_GROUP = frozenset({"li", "article", "tr"})  # one item of a list: dropped whole when it is a generated one
_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class _Section:
    anchor: str | None
    level: int = 0
    title: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    dropped: bool = False


@dataclass
class _Group:
    blocks: list[str] = field(default_factory=list)
    generated: bool = False


class _PageParser(HTMLParser):
    """Splits a page's HTML at its headings with an id (as the theme links to them) into plain paragraphs."""

    def __init__(self, is_generated_link: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.is_generated_link = is_generated_link
        self.sections: list[_Section] = [_Section(None)]
        self.groups: list[_Group] = []
        self.stack: list[str] = []
        self.skip_depth: int | None = None  # stack depth of the element being skipped
        self.heading_depth: int | None = None
        self.buffer: list[str] = []

    # The block being written goes to the innermost list item, or to the section.
    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if text:
            (self.groups[-1].blocks if self.groups else self.sections[-1].blocks).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and self.skip_depth is None:
                self.buffer.append(" ")
            return
        self.stack.append(tag)
        if self.skip_depth is not None:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in _SKIP or "data-search-exclude" in attributes or _FURNITURE.intersection(classes):
            self.skip_depth = len(self.stack)
            return
        if tag == "a" and self.groups and self.is_generated_link(attributes.get("href") or ""):
            self.groups[-1].generated = True
        if tag in _HEADING and attributes.get("id"):
            self._flush()
            self.sections.append(_Section(attributes["id"], int(tag[1])))
            self.heading_depth = len(self.stack)
            return
        if tag in _BLOCK:
            self._flush()
        elif tag in _GAP:
            self.buffer.append(" ")
        if tag in _GROUP:
            self.groups.append(_Group())

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:  # close what the HTML left open
            depth = len(self.stack)
            open_tag = self.stack.pop()
            if self.skip_depth is not None:
                if depth == self.skip_depth:
                    self.skip_depth = None
            elif depth == self.heading_depth:
                self.sections[-1].title.append(_SPACE.sub(" ", "".join(self.buffer)).strip())
                self.buffer = []
                self.heading_depth = None
            elif open_tag == "dt":
                self.buffer.append(" ")  # a term and its description are one paragraph: "Fri fra Kommunal …"
            elif open_tag in _BLOCK:
                self._flush()
                if open_tag in _GROUP:
                    self._close_group()
            elif open_tag in _GROUP:
                self._close_group()
            if open_tag == tag:
                break

    def _close_group(self) -> None:
        self._flush()
        group = self.groups.pop()
        if group.generated:
            self.sections[-1].dropped = True
            return
        (self.groups[-1].blocks if self.groups else self.sections[-1].blocks).extend(group.blocks)

    def handle_data(self, data: str) -> None:
        if self.skip_depth is None:
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        while self.groups:
            self._close_group()
        self._flush()


def page_entries(
    page_html: str, *, url: str, title: str, story_titles: frozenset[str], is_generated_link: Any
) -> list[Entry]:
    """A docs page as the theme's search expects it: the page first, then one entry per section with an id."""
    parser = _PageParser(is_generated_link)
    parser.feed(page_html)
    parser.close()
    sections = parser.sections
    # The page itself: its H1 section, or what comes before the first heading under the page's title.
    if not sections[0].blocks and len(sections) > 1 and sections[1].level == 1:
        sections = sections[1:]
    page, *rest = sections
    page_title = " ".join(t for t in page.title if t) or title
    entries = [Entry(location=url, title=html_text(page_title), text="".join(_para(b) for b in page.blocks))]
    for section in rest:
        heading = " ".join(t for t in section.title if t)
        if _normal(heading) in story_titles:
            continue  # a story's snippet (the newsletter kit): the story has its own entry
        if section.dropped and not section.blocks:
            continue  # a section that only listed stories
        entries.append(
            Entry(
                location=f"{url}#{section.anchor}",
                title=html_text(heading),
                text="".join(_para(b) for b in section.blocks),
            )
        )
    return entries


# --- the whole index ------------------------------------------------------------------------------------------------


class SearchIndexBuilder:
    """Collects the docs pages as they are rendered; writes the index once the theme's search plugin has written its
    own (whose configuration, from mkdocs.yml, it keeps)."""

    def __init__(self, index: SiteIndex, *, use_directory_urls: bool = True) -> None:
        self.index = index
        self.use_directory_urls = use_directory_urls
        self.entries: list[Entry] = []
        self.story_urls = frozenset(addresses.page_url(s.src_uri, use_directory_urls) for s in index.stories.values())
        self.story_titles = frozenset(_normal(s.title) for s in index.stories.values())
        generated_dirs = (*addresses.FACET_KEYS, addresses.TAGS_KEY, addresses.PAGINATION_DIR)
        self.listing_prefixes = tuple(f"{addresses.STORY_DIR}/{d}/" for d in generated_dirs)
        self.docs_urls = frozenset(addresses.page_url(src, use_directory_urls) for src in index.docs_pages)

    def is_generated_page(self, path: str) -> bool:
        """A story or a generated listing page (filter, tag or pagination): what docs pages list, not content."""
        if path in self.docs_urls:  # e.g. the tag index, historier/emneord/
            return False
        return path in self.story_urls or path.startswith(self.listing_prefixes)

    def add_page(self, *, src_uri: str, url: str, title: str, html_text: str, meta: Mapping[str, Any]) -> None:
        """A rendered page: stories and pages marked `search: exclude` are skipped (stories come from the index)."""
        if self.index.story_for_src(src_uri) is not None:
            return
        search = meta.get("search")
        if isinstance(search, dict) and search.get("exclude"):
            return

        def is_generated_link(href: str) -> bool:
            parts = urlsplit(urljoin("http://site/" + url, href))
            if parts.netloc != "site":
                return False
            return self.is_generated_page(
                posixpath.normpath(unquote(parts.path)).lstrip("/") + ("/" if parts.path.endswith("/") else "")
            )

        self.entries.extend(
            page_entries(
                html_text, url=url, title=title, story_titles=self.story_titles, is_generated_link=is_generated_link
            )
        )

    def documents(self) -> list[dict[str, Any]]:
        stories = [story_entry(s, self.index, use_directory_urls=self.use_directory_urls) for s in self.index.newest()]
        return [e.as_json() for e in [*self.entries, *stories]]

    def write(self, site_dir: Path) -> Path | None:
        """Replace the theme's index in `site_dir`, keeping its configuration; None when search is switched off."""
        path = site_dir / INDEX_PATH
        if not path.exists():
            return None
        config = json.loads(path.read_text(encoding="utf-8")).get("config", {})
        fields = dict(config.get("fields") or {})
        fields.setdefault(WORDS_FIELD, {"boost": 1.0})
        config["fields"] = fields
        data = {"config": config, "docs": self.documents()}
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return path
