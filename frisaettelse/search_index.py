"""The search index: a story is one entry from the index (summary and facts shown, the words of body and principles
once each in a field never shown); a docs page is what the theme's search plugin made of it, less the generated parts
the templates mark `data-search-exclude`."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

from . import addresses
from .model import SiteIndex, Story
from .render import freed_to_is_chosen, kind_in_own_words
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
_WORD = re.compile(r"[^\W_]+")
# What a reader of a story's Markdown does not see: reference definitions, link targets, tags, addresses.
_NOT_WORDS = (r"(?m)^\s*\[[^\]]+\]:\s*\S+.*$", r"\]\([^)]*\)", r"<[^>]*>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")


def words(text: str) -> list[str]:
    """The words of a text as search sees them: letters and digits, lower case."""
    return [w.lower() for w in _WORD.findall(text)]


def _normal(text: str) -> str:
    """A title recognised whatever quotes, dashes or case surround it."""
    return " " + " ".join(words(text)) + " "


def markdown_words(markdown: str) -> list[str]:
    """The words a reader sees in a story's Markdown: no link targets, addresses, tags or entities."""
    for pattern, gap in zip(_NOT_WORDS, (" ", "] ", " "), strict=True):
        markdown = re.sub(pattern, gap, markdown)
    return _WORD.findall(_URL.sub(" ", unescape(markdown)))


def story_entry(story: Story, index: SiteIndex, *, use_directory_urls: bool = True) -> dict[str, Any]:
    facts = []  # what the story does not tell ("ikke oplyst") is nothing to find
    chosen = f"valgt af {story.linked_by}"
    if story.tells_freed_from:
        kind = "" if kind_in_own_words(story) else f" ({RULE_KIND_LABELS[story.freed_from_kind]}, {chosen})"
        facts.append(f"Fri fra: {story.freed_from}{kind}")
    if story.tells_freed_to and _normal(story.freed_to) != _normal(story.description):
        facts.append(f"Fri til: {story.freed_to}" + (f" ({chosen})" if freed_to_is_chosen(story) else ""))
    facts.append(f"Område: {story.area.capitalize()}")
    seen = set(words(" ".join((story.title, *facts, story.description, *story.tags))))
    principles = " ".join(index.principles[p].title for p in story.principles if p in index.principles)
    found: list[str] = []
    for word in _WORD.findall(principles) + _WORD.findall(story.quote_role) + markdown_words(story.body):
        if (key := word.lower()) not in seen and key not in STOP_WORDS and len(key) > 1:
            seen.add(key)
            found.append(word)
    location = addresses.page_url(story.src_uri, use_directory_urls)
    text = "".join(f"<p>{html_text(paragraph)}</p>" for paragraph in (story.description, " · ".join(facts)))
    entry: dict[str, Any] = {"location": location, "title": html_text(story.title), "text": text}
    # The tags are front-matter text: sanitize.clean_search_index escapes them with the rest of the index.
    entry |= {"tags": list(story.tags)} if story.tags else {}
    return entry | ({WORDS_FIELD: " ".join(found)} if found else {})


def _kept(doc: dict[str, Any], story_titles: frozenset[str]) -> bool:
    """A section goes when its heading is a story's title (the newsletter kit's snippets: the story has its own
    entry), or when nothing is left of it once the theme left out the lists marked `data-search-exclude`."""
    is_section = "#" in doc["location"]
    return not is_section or bool(doc["text"]) and _normal(unescape(doc["title"])) not in story_titles


def write(site_dir: Path, index: SiteIndex, *, use_directory_urls: bool = True) -> None:
    """The theme's index of the docs pages (stories and listings are `search: exclude`), their generated sections
    left out, then one entry per story from the index (nothing when search is switched off)."""
    path = site_dir / addresses.SEARCH_INDEX
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    config = data.get("config", {})
    config["fields"] = dict(config.get("fields") or {})
    config["fields"].setdefault(WORDS_FIELD, {"boost": 1.0})
    titles = frozenset(_normal(s.title) for s in index.stories.values())
    docs = [doc for doc in data.get("docs", []) if _kept(doc, titles)]
    docs += [story_entry(s, index, use_directory_urls=use_directory_urls) for s in index.newest()]
    text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
